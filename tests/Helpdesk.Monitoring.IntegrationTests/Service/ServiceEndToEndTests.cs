using System.Net;
using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>Real <c>helpdesk notify</c> → spool → real helpdesk-service → incident visible through the API.</summary>
public sealed class ServiceEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Spool => _dir.Combine("spool");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_problem_lives_its_whole_life_through_the_notification_command()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Incidents__VerificationHold"] = "00:00:03",
            ["Helpdesk__Incidents__ReopenWindow"] = "00:01:00",
            ["Helpdesk__Spool__PollInterval"] = "00:00:00.020",
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await Notify("PROBLEM", now, state: "CRITICAL");
        var incident = await Incident(service, "INC-000001", i => i.GetProperty("alertCount").GetInt64() == 1);
        Assert.Equal("open", incident.GetProperty("status").GetString());
        Assert.Equal("web01 / HTTP is CRITICAL", incident.GetProperty("title").GetString());
        Assert.Equal("acme", incident.GetProperty("customer").GetString());
        Assert.Equal("CRITICAL - 'quoted' \"output\" | time=0.1s", incident.GetProperty("lastOutput").GetString());

        // Nagios runs the command once per contact: the second copy is an occurrence, not an incident.
        await Notify("PROBLEM", now, state: "CRITICAL");
        await Incident(service, "INC-000001", i => i.GetProperty("alertCount").GetInt64() == 2);

        await Notify("ACKNOWLEDGEMENT", now + 1, state: "CRITICAL", author: "alice", comment: "looking; ISP ticket 4711");
        incident = await Incident(service, "INC-000001", i => i.GetProperty("status").GetString() == "acknowledged");
        Assert.Equal("alice", incident.GetProperty("acknowledgedBy").GetString());
        Assert.Equal("looking; ISP ticket 4711", incident.GetProperty("acknowledgementComment").GetString());

        await Notify("RECOVERY", now + 2, state: "OK");
        await Incident(service, "INC-000001", i => i.GetProperty("status").GetString() == "resolved");

        await Notify("PROBLEM", now + 3, state: "WARNING");
        incident = await Incident(service, "INC-000001", i => i.GetProperty("status").GetString() == "open");
        Assert.Equal(1, incident.GetProperty("reopenCount").GetInt32());
        Assert.Equal("CRITICAL", incident.GetProperty("worstState").GetString());

        await Notify("RECOVERY", now + 4, state: "OK");
        await Incident(service, "INC-000001", i => i.GetProperty("status").GetString() == "closed", TimeSpan.FromSeconds(30));

        await Notify("PROBLEM", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), state: "CRITICAL");
        await Incident(service, "INC-000002", i => i.GetProperty("status").GetString() == "open");

        var detail = await service.GetJsonAsync("/api/v1/incidents/INC-000001");
        var kinds = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["opened", "acknowledged", "resolved", "reopened", "resolved", "closed"], kinds);

        // Beside the new incident, the customer's history on this host shows the earlier one.
        var second = await service.GetJsonAsync("/api/v1/incidents/INC-000002");
        var history = Assert.Single(second.GetProperty("history").EnumerateArray());
        Assert.Equal("INC-000001", history.GetProperty("number").GetString());
        Assert.Equal("closed", history.GetProperty("status").GetString());
        Assert.Empty(Directory.GetFiles(Path.Combine(Spool, "incoming")));
    }

    [Fact]
    public async Task A_redelivered_event_is_applied_once_and_bad_input_is_kept_with_its_reason()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        var id = Guid.CreateVersion7().ToString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Notify("PROBLEM", now, state: "CRITICAL", extra: ["--event-id", id]);
        await Incident(service, "INC-000001", i => i.GetProperty("alertCount").GetInt64() == 1);
        await Notify("PROBLEM", now, state: "CRITICAL", extra: ["--event-id", id]);
        await Notify("PROBLEM", now, state: "CRITICAL", host: "web02");
        await Incident(service, "INC-000002", _ => true);

        // The redelivered file was read, recognised and deleted: not merely still waiting in the spool.
        await service.WaitForMetricAsync("helpdesk_duplicates_dropped_total{kind=\"redelivery\"}", v => v == 1, TimeSpan.FromSeconds(30));
        Assert.Empty(Directory.GetFiles(Path.Combine(Spool, "incoming")));
        Assert.Equal(1, (await service.GetJsonAsync("/api/v1/incidents/INC-000001")).GetProperty("incident").GetProperty("alertCount").GetInt64());

        var (exit, stderr) = await NotifyProcess.RunAsync(Spool, new Dictionary<string, string> { ["NOTIFICATIONTYPE"] = "PANIC", ["HOSTNAME"] = "web01" });
        Assert.Equal(1, exit);
        Assert.Contains("'PANIC' is not a Nagios notification type", stderr, StringComparison.Ordinal);
        var rejected = Assert.Single(Directory.GetFiles(Path.Combine(Spool, "rejected"), "*.json"));
        var letter = JsonDocument.Parse(await File.ReadAllTextAsync(rejected)).RootElement;
        Assert.Equal("notify", letter.GetProperty("source").GetString());
        Assert.Contains("PANIC", letter.GetProperty("payload").GetString(), StringComparison.Ordinal);

        // A record that slipped into the spool broken is dead-lettered by the service, which keeps running.
        await File.WriteAllTextAsync(Path.Combine(Spool, "incoming", "000000000001-broken.json"), "{\"v\":1,");
        await WaitUntil(() => Directory.GetFiles(_dir.Combine("dead-letter"), "*.json").Length == 1);
        Assert.Contains("malformed_json", await File.ReadAllTextAsync(Directory.GetFiles(_dir.Combine("dead-letter"), "*.json")[0]), StringComparison.Ordinal);
        await Notify("PROBLEM", now, state: "CRITICAL", host: "web03");
        await Incident(service, "INC-000003", _ => true);
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_stops_the_service_with_the_reason()
    {
        await File.WriteAllTextAsync(_dir.Combine("helpdesk.db"), "this is not a database, it is a text file");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, waitReady: false);
        Assert.Equal(1, await service.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Cannot open the incident store", service.Output, StringComparison.Ordinal);
        Assert.Contains("file is not a database", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_is_refused_at_start_naming_every_key()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Store__Sqlite__Synchronous"] = "SOMETIMES",
            ["Helpdesk__Pipeline__BatchSize"] = "0",
        }, waitReady: false);
        Assert.Equal(2, await service.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Helpdesk:Store:Sqlite:Synchronous must be FULL, NORMAL or EXTRA, not 'SOMETIMES'", service.Output, StringComparison.Ordinal);
        Assert.Contains("Helpdesk:Pipeline:BatchSize must be between 1 and 100000", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_problem_with_output_past_the_record_limit_still_opens_its_incident_and_says_it_was_cut()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        var macros = new Dictionary<string, string>
        {
            ["NOTIFICATIONTYPE"] = "PROBLEM", ["HOSTNAME"] = "log01", ["HOSTSTATE"] = "UP", ["SERVICEDESC"] = "Log scan", ["SERVICESTATE"] = "CRITICAL",
            ["SERVICEOUTPUT"] = "CRITICAL - 2000 errors", ["LONGSERVICEOUTPUT"] = string.Concat(Enumerable.Repeat("ERROR disk I/O failure on sdb\n", 4000)),
        };

        var (exit, stderr) = await NotifyProcess.RunAsync(Spool, macros);
        Assert.True(exit == 0, stderr);

        var page = await service.WaitForAsync("/api/v1/incidents?host=log01", p => p.GetProperty("total").GetInt64() == 1);
        var number = page.GetProperty("items")[0].GetProperty("number").GetString();
        var detail = await service.GetJsonAsync($"/api/v1/incidents/{number}");
        Assert.Contains("[output truncated from 120000 bytes]", detail.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_commit_turns_readyz_not_ready_with_the_reason_and_ready_again_after()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Pipeline__StoreFailureGrace"] = "00:00:01" });
        await using (SqliteWriteLock.Hold(_dir.Combine("helpdesk.db")))
        {
            await Notify("PROBLEM", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), state: "CRITICAL");
            var reason = await WaitReadyzAsync(service, HttpStatusCode.ServiceUnavailable);
            Assert.Matches(@"^not ready: the store .*helpdesk\.db has not completed a commit for \d+ s", reason);
        }

        await WaitReadyzAsync(service, HttpStatusCode.OK);
        await Incident(service, "INC-000001", _ => true);
    }

    private static async Task<string> WaitReadyzAsync(ServiceProcess service, HttpStatusCode wanted)
    {
        for (var i = 0; i < 300; i++)
        {
            using var response = await service.Http.GetAsync("/readyz");
            if (response.StatusCode == wanted)
            {
                return await response.Content.ReadAsStringAsync();
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"/readyz never answered {wanted}:\n{service.Output}");
    }

    [Fact]
    public async Task A_setting_of_the_wrong_type_a_misspelt_one_or_a_rules_file_that_is_not_a_file_is_refused_in_a_sentence()
    {
        // The configuration binder's own failure is a stack trace naming System.TimeSpan.
        await using (var wrongType = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Incidents__VerificationHold"] = "banana" }, waitReady: false))
        {
            Assert.Equal(2, await wrongType.ExitCodeAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("Helpdesk:Incidents:VerificationHold: 'banana' is not a time span such as 00:15:00", wrongType.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", wrongType.Output, StringComparison.Ordinal);
        }

        // A misspelt key was ignored without a word: the service ran without the rules file it was given.
        await using (var misspelt = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__RulesFile"] = "/etc/helpdesk/rules.json" }, waitReady: false))
        {
            Assert.Equal(2, await misspelt.ExitCodeAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("Helpdesk:RulesFile is not a setting the service knows, so it would be ignored (did you mean Helpdesk:RulesPath?)", misspelt.Output, StringComparison.Ordinal);
        }

        // A FIFO as the rules file would hold the start until someone wrote to it.
        var fifo = _dir.Combine("rules.fifo");
        var (made, _, error) = await ExternalCommand.RunAsync("mkfifo", [fifo]);
        Assert.True(made == 0, error);
        await using var refused = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__RulesPath"] = fifo }, waitReady: false);
        Assert.Equal(2, await refused.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"{fifo} is a FIFO, not a regular file", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_explains_a_spool_it_cannot_use_in_a_sentence_for_the_nagios_log()
    {
        // A spool below a regular file: no folder can be made there.
        var blocker = _dir.Combine("not-a-folder");
        await File.WriteAllTextAsync(blocker, "");
        var (exit, stderr) = await NotifyProcess.RunAsync(Path.Combine(blocker, "spool"), new Dictionary<string, string>
        {
            ["NOTIFICATIONTYPE"] = "PROBLEM", ["HOSTNAME"] = "web01", ["HOSTSTATE"] = "DOWN",
        });

        Assert.Equal(2, exit);
        Assert.StartsWith($"helpdesk notify: cannot use spool '{Path.Combine(blocker, "spool")}': ", stderr, StringComparison.Ordinal);

        // Words a Nagios admin reads, not a resource key such as IO_PathNotFound_Path.
        Assert.DoesNotMatch(@"\b[A-Z][A-Za-z]+_[A-Za-z]+_[A-Za-z]+\b", stderr);
        Assert.Matches(@"': [A-Z][a-z]+ [a-z]+", stderr);
    }

    [Fact]
    public async Task The_rules_file_sets_priority_and_routing_and_a_broken_one_stops_the_start()
    {
        var sample = Path.Combine(Programs.Root, "src", "Helpdesk.Monitoring.Service", "rules.sample.json");
        await using (var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__RulesPath"] = sample }))
        {
            var macros = new Dictionary<string, string>
            {
                ["NOTIFICATIONTYPE"] = "PROBLEM", ["HOSTNAME"] = "core-r1", ["HOSTSTATE"] = "DOWN", ["HOSTOUTPUT"] = "PING CRITICAL",
                ["HOSTGROUPNAMES"] = "core-routers,routers",
            };
            var (exit, stderr) = await NotifyProcess.RunAsync(Spool, macros);
            Assert.True(exit == 0, stderr);
            var incident = (await service.WaitForAsync("/api/v1/incidents/INC-000001", _ => true)).GetProperty("incident");
            Assert.Equal("P1", incident.GetProperty("priority").GetString());
            Assert.Equal("network", incident.GetProperty("team").GetString());
            Assert.Equal("L2", incident.GetProperty("tier").GetString());
            Assert.Equal("network", incident.GetProperty("category").GetString());
        }

        var broken = _dir.Combine("broken-rules.json");
        await File.WriteAllTextAsync(broken, """{ "version": 1, "routing": { "defaultTier": "L7" } }""");
        Directory.CreateDirectory(_dir.Combine("other"));
        await using var refused = await ServiceProcess.StartAsync(_dir.Combine("other"), new Dictionary<string, string> { ["Helpdesk__RulesPath"] = broken }, waitReady: false);
        Assert.Equal(2, await refused.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("routing.defaultTier: must be L1, L2 or L3, not 'L7'", refused.Output, StringComparison.Ordinal);
    }

    private async Task Notify(string type, long timeT, string state, string author = "", string comment = "", string host = "web01", string[]? extra = null)
    {
        var macros = new Dictionary<string, string>
        {
            ["NOTIFICATIONTYPE"] = type,
            ["HOSTNAME"] = host,
            ["HOSTALIAS"] = "Web server 01",
            ["HOSTADDRESS"] = "10.0.0.1",
            ["HOSTSTATE"] = "UP",
            ["SERVICEDESC"] = "HTTP",
            ["SERVICESTATE"] = state,
            ["SERVICESTATETYPE"] = "HARD",
            ["SERVICEOUTPUT"] = state == "OK" ? "HTTP OK" : "CRITICAL - 'quoted' \"output\" | time=0.1s",
            ["TIMET"] = timeT.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NOTIFICATIONAUTHOR"] = author,
            ["NOTIFICATIONCOMMENT"] = comment,
            ["_HOSTCUSTOMER"] = "acme",
        };
        var (exit, stderr) = await NotifyProcess.RunAsync(Spool, macros, extra ?? []);
        Assert.True(exit == 0, stderr);
    }

    private static async Task<JsonElement> Incident(ServiceProcess service, string number, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await service.Http.GetAsync("/api/v1/incidents/" + number);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var incident = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("incident").Clone();
                if (condition(incident))
                {
                    return incident;
                }

                if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
                {
                    throw new TimeoutException($"{number} did not reach the expected state: {incident}\n{service.Output}");
                }
            }
            else if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException($"{number}: {(int)response.StatusCode}\n{service.Output}");
            }

            await Task.Delay(25);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "condition not met in time");
            await Task.Delay(25);
        }
    }
}
