using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;
using static Helpdesk.Monitoring.IntegrationTests.Fixtures.HttpAnswers;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>
/// People with their own identity: tokens and board sessions from the users file, roles that bound what each may do,
/// every action under the name of who did it, and the users file changed while the service runs.
/// </summary>
public sealed class PeopleIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task People_act_under_their_own_names_within_their_roles()
    {
        var users = _dir.Combine("users.json");
        var lead = await UsersCli.AddAsync(users, "alice", "lead");
        var agent = await UsersCli.AddAsync(users, "bob", "agent");
        Assert.StartsWith("hdt_", agent, StringComparison.Ordinal);
        Assert.DoesNotContain(agent, await File.ReadAllTextAsync(users), StringComparison.Ordinal);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Api__UsersPath"] = users,
            ["Helpdesk__Api__ReadsNeedSignIn"] = "true",
        });

        // Reads need a sign-in here; a token is one.
        using (var anonymous = await service.Http.GetAsync("/api/v1/incidents"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        // A token that matches nobody is told apart from no sign-in at all.
        await ExpectAsync(HttpStatusCode.Unauthorized, "belongs to nobody in the users file", await ActAsync(service, "hdt_" + new string('x', 43), "acknowledge", "{}"));
        await ExpectAsync(HttpStatusCode.Unauthorized, "neither a user's API token nor this service's agent key", await ActAsync(service, "some-other-key", "acknowledge", "{}"));
        await ExpectAsync(HttpStatusCode.OK, "\"acknowledgedBy\":\"bob\"", await ActAsync(service, agent, "acknowledge", """{"comment":"looking"}"""));

        // Who acts is the sign-in, not what the body says.
        await ExpectAsync(HttpStatusCode.BadRequest, "signed in as bob", await ActAsync(service, agent, "notes", """{"by":"alice","text":"x"}"""));

        // An agent takes an incident, a lead gives it away and changes priority; the agent may do neither of those.
        await ExpectAsync(HttpStatusCode.Forbidden, "lead or admin", await ActAsync(service, agent, "assign", """{"to":"alice"}"""));
        await ExpectAsync(HttpStatusCode.Forbidden, "lead or admin", await ActAsync(service, agent, "priority", """{"priority":"P1","reason":"x"}"""));
        await ExpectAsync(HttpStatusCode.OK, "\"assignedTo\":\"bob\"", await ActAsync(service, agent, "assign", """{"to":"bob"}"""));
        await ExpectAsync(HttpStatusCode.BadRequest, "no user 'nobody'", await ActAsync(service, lead, "assign", """{"to":"nobody"}"""));
        await ExpectAsync(HttpStatusCode.BadRequest, "is required: the timeline says why", await ActAsync(service, lead, "priority", """{"priority":"P1"}"""));
        await ExpectAsync(HttpStatusCode.OK, "\"priority\":\"P1\"", await ActAsync(service, lead, "priority", """{"priority":"P1","reason":"the whole shop is down"}"""));
        await ExpectAsync(HttpStatusCode.OK, "\"noted\"", await ActAsync(service, agent, "notes", """{"text":"a new disk is on its way","forCustomer":true}"""));
        await ExpectAsync(HttpStatusCode.Conflict, "only a resolved incident can be reopened", await ActAsync(service, agent, "reopen", """{"reason":"x"}"""));
        await ExpectAsync(HttpStatusCode.BadRequest, "(what put it right)", await ActAsync(service, agent, "resolve", """{"cause":"disk full"}"""));
        await ExpectAsync(HttpStatusCode.OK, "\"resolved\"", await ActAsync(service, agent, "resolve", """{"cause":"the disk was full","fix":"rotated the logs"}"""));
        await ExpectAsync(HttpStatusCode.OK, "\"reopened\"", await ActAsync(service, agent, "reopen", """{"reason":"the customer still sees errors"}"""));

        var detail = await GetAsync(service, agent, "/api/v1/incidents/INC-000001");
        Assert.Equal(
            [
                "opened", "acknowledged: Acknowledged in the helpdesk by bob: looking", "assigned: Taken by bob",
                "priority_changed: Priority P2 → P1 by alice: the whole shop is down", "customer_note: To the customer, by bob: a new disk is on its way",
                "resolved: Resolved by bob. Cause: the disk was full. Fix: rotated the logs.", "reopened: Reopened by bob: the customer still sees errors",
            ],
            detail.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString() == "opened" ? "opened" : $"{t.GetProperty("kind").GetString()}: {t.GetProperty("text").GetString()}"));
        var incident = detail.GetProperty("incident");
        Assert.Equal(("open", "bob", "P1", ""), (incident.GetProperty("status").GetString(), incident.GetProperty("assignedTo").GetString(),
            incident.GetProperty("priority").GetString(), incident.GetProperty("resolutionCause").GetString()));

        // The queue's filters: several statuses at once, an assignee, the SLA order; nonsense answers 400.
        Assert.Equal(1, (await GetAsync(service, agent, "/api/v1/incidents?status=open,acknowledged&assignedTo=bob&sort=due")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await GetAsync(service, agent, "/api/v1/incidents?status=resolved&status=closed")).GetProperty("total").GetInt32());
        // The archive is searched by customer or host only (nothing was archived yet).
        Assert.Equal(0, (await GetAsync(service, agent, "/api/v1/incidents?archived=true&customer=acme")).GetProperty("total").GetInt32());
        foreach (var bad in new[] { "priority=99", "priority=P9", "status=open,bogus", "status=1", "sort=sideways", "tier=L4", "tier=l1", "archived=true", "archived=yes", "archived=true&customer=acme&status=open" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/incidents?" + bad);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent);
            using var response = await service.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, bad);
        }

        // A filter the list does not take would answer the whole queue as if filtered: it is refused with the one meant.
        // Names are matched without regard to case, as the list reads them.
        Assert.Equal(1, (await GetAsync(service, agent, "/api/v1/incidents?AssignedTo=bob&STATUS=open")).GetProperty("total").GetInt32());
        foreach (var (bad, field, sentence) in new[]
                 {
                     ("stauts=resolved", "stauts", "'stauts' is not a parameter of this list, so it would be ignored (did you mean status?)"),
                     ("assignee=carol", "assignee", "'assignee' is not a parameter of this list, so it would be ignored (did you mean assignedTo?)"),
                     ("since=yesterday", "since", "'since' is not a parameter of this list, so it would be ignored (it takes status, priority, team, tier, customer, host, assignedTo, sort, archived, page, pageSize)"),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/incidents?" + bad);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent);
            using var response = await service.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(sentence, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
        }
    }

    [Fact]
    public async Task A_board_session_signs_in_acts_only_from_its_own_origin_and_ends_when_credentials_change()
    {
        var users = _dir.Combine("users.json");
        await UsersCli.AddAsync(users, "bob", "agent");
        var (exit, _, stderr) = await ExternalCommand.RunAsync("sh", ["-c", $"echo 'correct horse battery' | dotnet '{Programs.Cli}' users password bob --password-stdin --users-file '{users}'"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("pbkdf2-sha256$600000$", await File.ReadAllTextAsync(users), StringComparison.Ordinal);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Api__UsersPath"] = users });
        await service.IngestAsync(Records.Service(NotificationType.Problem, timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        using (var wrong = await service.Http.PostAsync("/api/v1/session", Json("""{"user":"bob","password":"wrong horse"}""")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.False(wrong.Headers.Contains("Set-Cookie"));
        }

        string cookie;
        using (var signedIn = await service.Http.PostAsync("/api/v1/session", Json("""{"user":"bob","password":"correct horse battery"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            var setCookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            cookie = setCookie.Split(';')[0];
        }

        // Another site's page cannot use the session; the board's own page can.
        await ExpectAsync(HttpStatusCode.Forbidden, "board's own pages", await CookieActAsync(service, cookie, $"http://evil.example"));
        await ExpectAsync(HttpStatusCode.OK, "\"acknowledgedBy\":\"bob\"", await CookieActAsync(service, cookie, $"http://127.0.0.1:{service.Port}"));

        // A user added while the service runs can sign in within seconds; revoking a person's tokens ends their sessions too.
        var carol = await UsersCli.AddAsync(users, "carol", "admin");
        await WaitForStatusAsync(service, carol, HttpStatusCode.OK);
        var (revoked, _, revokeErr) = await UsersCli.RunAsync(users, "revoke", "bob", "all");
        Assert.True(revoked == 0, revokeErr);
        await WaitForCookieStatusAsync(service, cookie, HttpStatusCode.Unauthorized);

        // A users file someone broke keeps the last good one in force, and says why in the log.
        await File.WriteAllTextAsync(users, """{"users": [{"name": "mallory", "role": "admin", "password": "plain-text"}]}""");
        var clock = Stopwatch.StartNew();
        while (!service.Output.Contains("never the password itself", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await WaitForStatusAsync(service, carol, HttpStatusCode.OK);
            await Task.Delay(500);
        }

        Assert.Contains("never the password itself", service.Output, StringComparison.Ordinal);
        await WaitForStatusAsync(service, carol, HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_first_person_added_after_the_start_can_act_before_anyone_else_called()
    {
        // The README's way: the service runs with no users file yet, then someone adds the first person. Nothing that
        // needs a sign-in was asked in between, so the users file is first looked at after it changed.
        var users = _dir.Combine("users.json");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Api__UsersPath"] = users });
        Assert.False(File.Exists(users));
        await service.IngestAsync(Records.Service(NotificationType.Problem, timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var admin = await UsersCli.AddAsync(users, "admin", "admin");

        // At once, not after a wait: the very first request is the one a person makes right after adding themself.
        await ExpectAsync(HttpStatusCode.OK, "\"acknowledgedBy\":\"admin\"", await ActAsync(service, admin, "acknowledge", "{}"));
    }

    private static Task<HttpResponseMessage> ActAsync(ServiceProcess service, string token, string action, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/INC-000001/{action}") { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return service.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> CookieActAsync(ServiceProcess service, string cookie, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents/INC-000001/acknowledge") { Content = Json("{}") };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", origin);
        return service.Http.SendAsync(request);
    }

    private static async Task<JsonElement> GetAsync(ServiceProcess service, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await service.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task WaitForStatusAsync(ServiceProcess service, string token, HttpStatusCode status) =>
        WaitForSessionAsync(service, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token), status);

    private static Task WaitForCookieStatusAsync(ServiceProcess service, string cookie, HttpStatusCode status) =>
        WaitForSessionAsync(service, r => r.Headers.Add("Cookie", cookie), status);

    /// <summary>Asks GET /api/v1/session, signed in as <paramref name="sign"/> says, until it answers <paramref name="status"/> (20 s at most).</summary>
    private static async Task WaitForSessionAsync(ServiceProcess service, Action<HttpRequestMessage> sign, HttpStatusCode status)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/session");
            sign(request);
            using var response = await service.Http.SendAsync(request);
            if (response.StatusCode == status || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Equal(status, response.StatusCode);
                return;
            }

            await Task.Delay(200);
        }
    }
}
