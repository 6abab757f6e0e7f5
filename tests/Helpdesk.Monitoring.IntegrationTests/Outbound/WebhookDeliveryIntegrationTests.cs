using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Helpdesk.Monitoring.Diagnostics;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;
using Helpdesk.Monitoring.IntegrationTests.Workplace;
using static Helpdesk.Monitoring.IntegrationTests.Fixtures.HttpAnswers;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>
/// The service, as a real process, sends its incident events to a real HTTP receiver: signed, with the event id as
/// the idempotency key, in order per incident, retried while the receiver is down, and after a SIGKILL between the
/// receiver's 2xx and the mark, sent again once (same id) and nothing missing.
/// </summary>
public sealed class WebhookDeliveryIntegrationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly WebhookReceiver _receiver = new();

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 never calls the latter on a test class, which left the receiver
    // listening and the directory behind after every test.
    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _dir.Dispose();
    }

    private Dictionary<string, string> Settings(string? crashAt = null, WebhookReceiver? receiver = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Helpdesk__Outbound__Webhooks__ops__Url"] = (receiver ?? _receiver).Url,
            ["Helpdesk__Outbound__Webhooks__ops__Secret"] = WebhookReceiver.Secret,
            ["Helpdesk__Outbound__IncidentUrl"] = "https://helpdesk.example.com/incidents/{number}",
            ["Helpdesk__Outbound__RetryDelay"] = "00:00:00.200",
            // Long enough that a first send on a loaded machine (a cold connection, the JIT) does not time out: a send
            // that timed out after the receiver took it is rightly sent again, which would be counted here as a
            // duplicate or a refusal spent. The lease, which must outlast it, is what a killed service's claims wait.
            ["Helpdesk__Outbound__SendTimeout"] = "00:00:05",
            ["Helpdesk__Outbound__Lease"] = "00:00:06",
            ["Helpdesk__Incidents__VerificationHold"] = "00:00:01",
        };
        if (crashAt is not null)
        {
            settings[CrashPoint.Variable] = crashAt;
        }

        return settings;
    }

    /// <summary>
    /// web01 now: PROBLEM, ACKNOWLEDGEMENT, RECOVERY: opened, acknowledged, resolved, and closed a second later (the
    /// verification hold is one second here). Nagios' times are now, so no SLA clock is due meanwhile, however the
    /// group commit splits the request.
    /// </summary>
    private static Notification[] OneIncidentsLife()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return
        [
            Records.Service(NotificationType.Problem, host: "web01", timeT: now) with
            {
                ServiceNotesUrl = "https://wiki.example.com/runbooks/http", LongServiceOutput = "GET / took 10.0 s\nbackend pool: 0 of 4 up",
            },
            Records.Service(NotificationType.Acknowledgement, host: "web01", author: "alice", comment: "on it", timeT: now + 1),
            Records.Service(NotificationType.Recovery, host: "web01", state: AlertState.Ok, output: "OK", timeT: now + 2),
        ];
    }

    [Fact]
    public async Task Each_event_reaches_the_receiver_once_in_order_signed_and_keyed_by_its_id_after_the_receiver_came_back()
    {
        _receiver.FailNext(3);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, Settings());
        await service.IngestAsync(OneIncidentsLife());

        var taken = await _receiver.WaitForAsync(t => t.Count >= 4, TimeSpan.FromSeconds(30), () => service.Output);
        await Task.Delay(500);
        taken = [.. _receiver.Taken];

        Assert.Equal(["opened", "acknowledged", "resolved", "closed"], taken.Select(t => t.Event));
        Assert.All(taken, t =>
        {
            Assert.Equal(t.EventId, t.IdempotencyKey);
            Assert.True(t.SignatureValid, "the signature did not verify");
            Assert.StartsWith("application/json", t.ContentType, StringComparison.Ordinal);
            Assert.Equal("INC-000001", t.Number);
        });
        Assert.Equal(3, _receiver.Refused);
        var incident = taken[0].Body.GetProperty("incident");
        Assert.Equal("https://helpdesk.example.com/incidents/INC-000001", incident.GetProperty("url").GetString());
        Assert.Equal(("web01", "HTTP", "acme"), (incident.GetProperty("host").GetString(), incident.GetProperty("service").GetString(), incident.GetProperty("customer").GetString()));
        Assert.Equal("acknowledged", taken[1].Body.GetProperty("incident").GetProperty("status").GetString());

        // The message that opens it carries the description, the runbook first, for the person paged; the others do not.
        var description = incident.GetProperty("description").GetString()!;
        Assert.Contains("Service runbook: https://wiki.example.com/runbooks/http\n", description, StringComparison.Ordinal);
        Assert.Contains("Details:\nGET / took 10.0 s\nbackend pool: 0 of 4 up\n", description, StringComparison.Ordinal);
        Assert.All(taken.Skip(1), t => Assert.Equal("", t.Body.GetProperty("incident").GetProperty("description").GetString()));

        await service.WaitForMetricAsync("helpdesk_outbound_sent_total{channel=\"ops\",event=\"resolved\"}", v => v == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(3, await service.MetricAsync("helpdesk_outbound_failed_total{channel=\"ops\",event=\"opened\"}"));
        Assert.Equal(0, await service.MetricAsync("helpdesk_outbound_pending{channel=\"ops\"}"));

        // The outage is in the log once, and its end once: three failed attempts are counted, not logged one by one.
        var output = service.Output;
        Assert.Contains("Outbound channel ops: webhook http://127.0.0.1:", output, StringComparison.Ordinal);
        Assert.Contains("…, signed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("unsigned", output, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, "outbound channel ops: INC-000001 opened .* failed: "));
        Assert.Contains("outbound channel ops: delivering again, after 3 failed attempts", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_killed_after_the_receiver_took_an_event_sends_that_one_again_and_loses_nothing()
    {
        await using (var crashing = await ServiceProcess.StartAsync(_dir.Path, Settings(CrashPoint.OutboundAfterSend + "@2")))
        {
            // One request, one commit: the process dies on the second send. The sender can get there before the
            // answer to this request is written (the commit came first either way; what follows checks it).
            try
            {
                await crashing.IngestAsync(OneIncidentsLife());
            }
            catch (HttpRequestException)
            {
            }

            Assert.Equal(137, await crashing.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        }

        Assert.Equal(["opened", "acknowledged"], _receiver.Taken.Select(t => t.Event));

        await using var restarted = await ServiceProcess.StartAsync(_dir.Path, Settings());
        var taken = await _receiver.WaitForAsync(t => t.Any(r => r.Event == "closed"), TimeSpan.FromSeconds(30), () => restarted.Output);
        await Task.Delay(500);
        taken = [.. _receiver.Taken];

        // The acknowledgement was taken, then the process died before marking it: sent again, with the same id; the
        // receiver drops it by its Idempotency-Key. Nothing is missing, and each incident's events keep their order.
        Assert.Equal(["opened", "acknowledged", "acknowledged", "resolved", "closed"], taken.Select(t => t.Event));
        Assert.Equal(taken[1].IdempotencyKey, taken[2].IdempotencyKey);
        Assert.Equal(4, taken.Select(t => t.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public async Task A_storm_of_5000_problems_in_a_minute_is_a_bounded_number_of_messages()
    {
        var settings = Settings();
        settings["Helpdesk__Outbound__FoldWindow"] = "00:00:02";
        settings["Helpdesk__Outbound__MaxPerMinute"] = "0";
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var batch = 0; batch < 10; batch++)
        {
            await service.IngestAsync([.. Enumerable.Range(batch * 500, 500).Select(i =>
                Records.Service(NotificationType.Problem, host: $"host{i:D4}", timeT: now + (i / 100)))]);
        }

        // Everything queued is sent, and stays so for a moment.
        await service.WaitForMetricAsync("helpdesk_outbound_pending{channel=\"ops\"}", v => v == 0, TimeSpan.FromSeconds(60));
        await Task.Delay(3000);
        await service.WaitForMetricAsync("helpdesk_outbound_pending{channel=\"ops\"}", v => v == 0, TimeSpan.FromSeconds(60));
        var taken = _receiver.Taken.ToList();

        // Storm mode opens 100 incidents before it starts (the default threshold), then one storm incident takes the
        // other 4,900 problems; their joins fold into a message every fold window or so.
        Assert.Equal(100, taken.Count(t => t.Event == "opened"));
        Assert.Contains(taken, t => t.Event == "storm_started");
        Assert.True(taken.Count <= 130, $"{taken.Count} messages: {string.Join(", ", taken.GroupBy(t => t.Event).Select(g => $"{g.Key} {g.Count()}"))}");
        var folded = taken.Where(t => t.Event == "correlated").Sum(t => 1 + t.Body.GetProperty("folded").GetInt32());
        Assert.Equal(4900, folded);
    }

    [Fact]
    public async Task A_webhook_without_a_secret_is_sent_unsigned_and_the_start_warns_that_the_receiver_cannot_check_it()
    {
        var settings = Settings();
        settings.Remove("Helpdesk__Outbound__Webhooks__ops__Secret");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);
        await service.IngestAsync(OneIncidentsLife()[0]);

        var opened = Assert.Single(await _receiver.WaitForAsync(t => t.Count >= 1, TimeSpan.FromSeconds(30), () => service.Output));
        Assert.Equal(("opened", opened.EventId), (opened.Event, opened.IdempotencyKey));
        Assert.False(opened.SignatureValid);
        Assert.Contains("Outbound channel ops: webhook http://127.0.0.1:", service.Output, StringComparison.Ordinal);
        Assert.Contains("unsigned: without Helpdesk:Outbound:Webhooks:ops:Secret the receiver cannot tell the helpdesk's messages from anyone else's",
            service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_the_receiver_refuses_as_wrong_is_dead_at_once_shown_by_the_api_and_holds_up_nothing()
    {
        _receiver.FailNext(1, status: 422);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, Settings());
        await service.IngestAsync(OneIncidentsLife());

        var taken = await _receiver.WaitForAsync(t => t.Any(r => r.Event == "closed"), TimeSpan.FromSeconds(30), () => service.Output);
        Assert.Equal(["acknowledged", "resolved", "closed"], taken.Select(t => t.Event));

        var deliveries = await service.GetJsonAsync("/api/v1/deliveries?state=dead");
        var dead = Assert.Single(deliveries.GetProperty("items").EnumerateArray());
        Assert.Equal(("ops", "INC-000001", "opened", "dead", 1), (dead.GetProperty("channel").GetString(), dead.GetProperty("incident").GetString(),
            dead.GetProperty("event").GetString(), dead.GetProperty("state").GetString(), dead.GetProperty("attempts").GetInt32()));
        Assert.EndsWith("answered 422 Unprocessable Entity", dead.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("?", dead.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        var backlog = Assert.Single(deliveries.GetProperty("backlog").EnumerateArray());
        Assert.Equal(1, backlog.GetProperty("dead").GetInt64());
        await service.WaitForMetricAsync("helpdesk_outbound_dead_total{channel=\"ops\",event=\"opened\"}", v => v == 1, TimeSpan.FromSeconds(10));

        using var wrong = await service.Http.GetAsync("/api/v1/deliveries?state=lost");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrong.StatusCode);

        // A misspelt channel or parameter, or a limit past the page, would read as "nothing dead": each is refused.
        foreach (var (query, field, sentence) in new[]
                 {
                     ("channel=opps", "channel", "no outbound channel named 'opps' is configured; the channels are ops"),
                     ("chanel=ops", "chanel", "'chanel' is not a parameter of this list, so it would be ignored (did you mean channel?)"),
                     ("limit=1000", "limit", "must be a whole number from 1 to 500"),
                     ("limit=ten", "limit", "must be a whole number from 1 to 500"),
                 })
        {
            using var refused = await service.Http.GetAsync("/api/v1/deliveries?" + query);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(sentence, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
        }

        Assert.Single((await service.GetJsonAsync("/api/v1/deliveries?channel=ops&limit=500")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_dead_delivery_an_admin_requeues_reaches_the_receiver_once_more_and_the_log_says_who()
    {
        var users = _dir.Combine("users.json");
        var admin = await UsersCli.AddAsync(users, "olga", "admin");
        var lead = await UsersCli.AddAsync(users, "alice", "lead");
        _receiver.FailNext(1, status: 422);
        var settings = Settings();
        settings["Helpdesk__Api__UsersPath"] = users;
        settings["HELPDESK_AGENT_KEY"] = "shared-agent-key-51c0";
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);
        await service.IngestAsync(OneIncidentsLife());
        await _receiver.WaitForAsync(t => t.Any(r => r.Event == "closed"), TimeSpan.FromSeconds(30), () => service.Output);
        var opened = (await service.GetJsonAsync("/api/v1/deliveries?state=dead")).GetProperty("items")[0].GetProperty("eventId").GetString();

        // Only an admin's own sign-in: none, a lead, the shared agent key are refused; a channel not configured is named.
        using (var anonymous = await service.Http.PostAsync("/api/v1/deliveries/requeue", Json("""{"channel":"ops"}""")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        await ExpectAsync(HttpStatusCode.Forbidden, "needs an admin's own sign-in", await RequeueAsync(service, lead, """{"channel":"ops"}"""));
        await ExpectAsync(HttpStatusCode.Forbidden, "needs an admin's own sign-in", await RequeueAsync(service, "shared-agent-key-51c0", """{"channel":"ops"}"""));
        await ExpectAsync(HttpStatusCode.Unauthorized, "neither a user's API token nor this service's agent key", await RequeueAsync(service, ServiceProcess.IngestKey, """{"channel":"ops"}"""));
        await ExpectAsync(HttpStatusCode.NotFound, "the channels are ops", await RequeueAsync(service, admin, """{"channel":"teams"}"""));
        await ExpectAsync(HttpStatusCode.BadRequest, "is required: the outbound channel", await RequeueAsync(service, admin, "{}"));
        await ExpectAsync(HttpStatusCode.BadRequest, "between 1 and 10000", await RequeueAsync(service, admin, """{"channel":"ops","limit":0}"""));
        await ExpectAsync(HttpStatusCode.BadRequest, "must be a JSON object", await RequeueAsync(service, admin, """{"channel":"ops","eventIds":["not-a-uuid"]}"""));

        // The command line shows it, with the receiver's answer and the id to name it by; only an admin sends it again.
        var env = new Dictionary<string, string?> { ["HELPDESK_URL"] = $"http://127.0.0.1:{service.Port}", ["HELPDESK_TOKEN"] = lead, ["XDG_CONFIG_HOME"] = _dir.Combine("no-config") };
        var list = await DeliveriesAsync(env, "list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("ops: 0 waiting, 1 dead", list.Stdout, StringComparison.Ordinal);
        Assert.Matches($@"ops\s+INC-000001\s+opened\s+dead\s+1 .*{opened} .*422", list.Stdout);
        var notAdmin = await DeliveriesAsync(env, "requeue", "--channel", "ops");
        Assert.Equal((1, true), (notAdmin.ExitCode, notAdmin.Stderr.Contains("needs an admin's own sign-in", StringComparison.Ordinal)));
        Assert.Equal(2, (await DeliveriesAsync(env, "requeue", "--event", opened!)).ExitCode);

        // Sent again, once: the same request repeated (a retry after a timeout) finds nothing dead.
        env["HELPDESK_TOKEN"] = admin;
        var requeued = await DeliveriesAsync(env, "requeue", "--channel", "ops", "--event", opened!);
        Assert.Equal((0, "ops: 1 re-queued, 0 still dead"), (requeued.ExitCode, requeued.Stdout.Trim()));
        var taken = await _receiver.WaitForAsync(t => t.Any(r => r.Event == "opened"), TimeSpan.FromSeconds(30), () => service.Output);
        await ExpectAsync(HttpStatusCode.OK, "\"requeued\":0", await RequeueAsync(service, admin, $$"""{"channel":"ops","eventIds":["{{opened}}"]}"""));
        Assert.Equal("ops: 0 re-queued, 0 still dead", (await DeliveriesAsync(env, "requeue", "--channel", "ops")).Stdout.Trim());
        await service.WaitForMetricAsync("helpdesk_outbound_pending{channel=\"ops\"}", v => v == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(["acknowledged", "resolved", "closed", "opened"], _receiver.Taken.Select(t => t.Event));
        Assert.Equal(opened, taken[^1].EventId);
        Assert.Contains("olga re-queued 1 dead deliveries of channel ops", service.Output, StringComparison.Ordinal);
        Assert.Empty((await service.GetJsonAsync("/api/v1/deliveries?state=dead")).GetProperty("items").EnumerateArray());
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> DeliveriesAsync(IDictionary<string, string?> env, params string[] arguments) =>
        ExternalCommand.RunAsync("dotnet", [Programs.Cli, "deliveries", .. arguments], env, timeout: TimeSpan.FromSeconds(60));

    private static Task<HttpResponseMessage> RequeueAsync(ServiceProcess service, string token, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deliveries/requeue") { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return service.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_channel_past_its_rate_bound_sends_the_bound_and_one_summary_of_what_waits()
    {
        var settings = Settings();
        settings["Helpdesk__Outbound__MaxPerMinute"] = "5";
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await service.IngestAsync([.. Enumerable.Range(0, 20).Select(i => Records.Service(NotificationType.Problem, host: $"host{i:D2}", timeT: now))]);

        var taken = await _receiver.WaitForAsync(t => t.Any(r => r.Body.TryGetProperty("event", out var e) && e.GetString() == "held_back"),
            TimeSpan.FromSeconds(30), () => service.Output);
        await Task.Delay(2000);
        taken = [.. _receiver.Taken];

        // Five incidents' openings within the minute, then one summary saying the other fifteen wait (they follow as the
        // minute frees room). Every attempt takes room, a failed one too: on a loaded machine one of the five can fail
        // on its way back (it then waits with the others), so the summary is held to what the service has not sent.
        Assert.Equal(5, taken.Count(t => t.Event == "opened"));
        var sent = await service.MetricAsync("helpdesk_outbound_sent_total{channel=\"ops\",event=\"opened\"}");
        Assert.InRange(sent, 4, 5);
        var summary = Assert.Single(taken, t => t.Body.GetProperty("event").GetString() == "held_back");
        Assert.Equal(20 - sent, summary.Body.GetProperty("waiting").GetInt64());
        Assert.Equal(5, summary.Body.GetProperty("perMinute").GetInt32());
        Assert.True(summary.SignatureValid, "the summary is signed like every message");
        Assert.Equal(6, taken.Count);
        Assert.Equal(1, await service.MetricAsync("helpdesk_outbound_held_back_total{channel=\"ops\"}"));
        Assert.Equal(20 - sent, await service.MetricAsync("helpdesk_outbound_pending{channel=\"ops\"}"));
    }

    [Fact]
    public async Task A_service_killed_after_the_commit_or_while_the_receiver_is_down_delivers_everything_once_after_a_restart()
    {
        // Killed right after the first commit (the opening alone: a request of the whole life may be committed as one
        // batch or split, as the group commit finds it), before anything was sent.
        await using (var crashing = await ServiceProcess.StartAsync(_dir.Path, Settings(CrashPoint.CommitterAfterCommit)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications")
            {
                Content = new ByteArrayContent(Records.Bytes(OneIncidentsLife()[0])),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceProcess.IngestKey);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => crashing.Http.SendAsync(request));
            Assert.Equal(137, await crashing.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        }

        Assert.Empty(_receiver.Taken);

        // Restarted while the receiver is down: the opening committed before the kill waits, and so do the rest of the
        // incident's life, sent again by Nagios (new ids, the same incident); the service is killed again meanwhile.
        // The receiver that is down is one of its own, answering 503 to everything, so that a retry the killed service
        // had under way meets a receiver still down: with one receiver switched back on right after the kill, such a
        // retry could be taken after all (the documented repeat of a sender killed before it heard the 2xx, not what
        // this test is about), and under load this test once saw "opened" twice.
        await using (var downReceiver = new WebhookReceiver())
        {
            downReceiver.FailNext(int.MaxValue);
            await using var down = await ServiceProcess.StartAsync(_dir.Path, Settings(receiver: downReceiver));
            await down.IngestAsync(OneIncidentsLife());
            await down.WaitForMetricAsync("helpdesk_outbound_failed_total{channel=\"ops\",event=\"opened\"}", v => v >= 1, TimeSpan.FromSeconds(30));
            down.Kill();
        }

        // The receiver is back and the service restarts: every event arrives, each once, in order. The send timeout
        // (and the lease, which must outlast it) is long here: a 2xx that came after it (a loaded machine) would
        // rightly be sent again with the same key. The killed service's claims lapse on their own 6 s lease.
        var settings = Settings();
        settings["Helpdesk__Outbound__SendTimeout"] = "00:00:10";
        settings["Helpdesk__Outbound__Lease"] = "00:00:20";
        await using var restarted = await ServiceProcess.StartAsync(_dir.Path, settings);
        var taken = await _receiver.WaitForAsync(t => t.Any(r => r.Event == "closed"), TimeSpan.FromSeconds(60), () => restarted.Output);
        await Task.Delay(1000);
        taken = [.. _receiver.Taken];
        Assert.True(taken.Select(t => t.Event).SequenceEqual(["opened", "acknowledged", "resolved", "closed"]),
            string.Join(", ", taken.Select(t => $"{t.Number} {t.Event} {t.IdempotencyKey}")) + "\n" + restarted.Output);
        Assert.Equal(4, taken.Select(t => t.IdempotencyKey).Distinct().Count());
        Assert.All(taken, t => Assert.Equal("INC-000001", t.Number));
    }

    [Fact]
    public async Task A_receiver_that_redirects_is_not_followed_and_the_event_waits_with_the_reason()
    {
        // A followed 302 turns the POST into a GET without its body, and the page's 200 would count the event as sent.
        await using var moved = new WebhookReceiver();
        moved.MovedTo(moved.Url + "new-home");
        var settings = Settings();
        settings["Helpdesk__Outbound__Webhooks__moved__Url"] = moved.Url;
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);

        await service.IngestAsync(OneIncidentsLife()[0]);
        await service.WaitForMetricAsync("helpdesk_outbound_failed_total{channel=\"moved\",event=\"opened\"}", v => v >= 1, TimeSpan.FromSeconds(30));

        Assert.Equal(0, moved.Gets);
        Assert.Equal(0, await service.MetricAsync("helpdesk_outbound_sent_total{channel=\"moved\",event=\"opened\"}"));
        var waiting = Assert.Single((await service.GetJsonAsync("/api/v1/deliveries?state=pending&channel=moved")).GetProperty("items").EnumerateArray());
        Assert.Contains("answered 302 Found to http://127.0.0.1:", waiting.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains("deliveries are not redirected", waiting.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("new-home", waiting.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_hangs_holds_up_neither_ingest_nor_another_channel()
    {
        await using var hanging = new WebhookReceiver();
        hanging.Hang();
        var settings = Settings();
        settings["Helpdesk__Outbound__SendTimeout"] = "00:00:01";
        settings["Helpdesk__Outbound__Lease"] = "00:00:02";
        settings["Helpdesk__Outbound__Webhooks__stuck__Url"] = hanging.Url;
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);

        // Ingest answers as fast as ever, and the healthy channel gets every event while the other waits on its receiver.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await service.IngestAsync(OneIncidentsLife());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"ingest took {watch.Elapsed}");
        var taken = await _receiver.WaitForAsync(t => t.Any(r => r.Event == "closed"), TimeSpan.FromSeconds(30), () => service.Output);
        Assert.Equal(["opened", "acknowledged", "resolved", "closed"], taken.Select(t => t.Event));
        await service.WaitForMetricAsync("helpdesk_outbound_failed_total{channel=\"stuck\",event=\"opened\"}", v => v >= 1, TimeSpan.FromSeconds(30));
        Assert.Empty(hanging.Taken);
    }
}
