using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>Agents acknowledge and resolve through the API (the way out of the "manual" resolve policy), with their own keys.</summary>
public sealed class AgentActionIntegrationTests : IDisposable
{
    private const string AgentKey = "agent-key-91c2";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_manual_incident_stays_open_after_recoveries_until_an_agent_resolves_it_once()
    {
        var rules = _dir.Combine("rules.json");
        await File.WriteAllTextAsync(rules, """{ "version": 1, "correlation": { "resolve": "manual" } }""");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__RulesPath"] = rules,
            ["HELPDESK_AGENT_KEY"] = AgentKey,
        });

        await service.IngestAsync(
            Records.Host(NotificationType.Problem, host: "web01"),
            Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5),
            Records.Host(NotificationType.Recovery, host: "web01", state: AlertState.Up, timeT: Records.T0 + 60),
            Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 61));
        var open = await service.GetJsonAsync("/api/v1/incidents/INC-000001");
        Assert.Equal("open", open.GetProperty("incident").GetProperty("status").GetString());
        Assert.Contains(open.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString()!.Contains("resolve policy is manual", StringComparison.Ordinal));

        // The ingest key (every Nagios server has it) cannot act on incidents.
        using (var refused = await ActAsync(service, "INC-000001", "resolve", ServiceProcess.IngestKey, """{"by":"nagios"}"""))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var key = Guid.CreateVersion7().ToString();
        using (var resolved = await ActAsync(service, "INC-000001", "resolve", AgentKey, """{"by":"alice","cause":"the power supply failed","fix":"replaced the PSU"}""", key))
        {
            var json = await BodyAsync(resolved);
            Assert.True(resolved.StatusCode == HttpStatusCode.OK, json.ToString());
            Assert.Equal("resolved", json.GetProperty("outcome").GetString());
            Assert.Equal("resolved", json.GetProperty("incident").GetProperty("status").GetString());
        }

        // The same request again (a retry) changes nothing; a new one finds the incident no longer open.
        using (var retried = await ActAsync(service, "INC-000001", "resolve", AgentKey, """{"by":"alice","cause":"the power supply failed","fix":"replaced the PSU"}""", key))
        {
            Assert.Equal("redelivered", (await BodyAsync(retried)).GetProperty("outcome").GetString());
        }

        using (var again = await ActAsync(service, "INC-000001", "acknowledge", AgentKey, """{"by":"bob"}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        var detail = await service.GetJsonAsync("/api/v1/incidents/INC-000001");
        Assert.Single(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString() == "Resolved by alice. Cause: the power supply failed. Fix: replaced the PSU.");
        Assert.Equal(("the power supply failed", "replaced the PSU"),
            (detail.GetProperty("incident").GetProperty("resolutionCause").GetString(), detail.GetProperty("incident").GetProperty("resolutionFix").GetString()));

        // The same, as the event people and other systems are told: what happened, by whose action, the incident after it.
        var resolvedEvent = Assert.Single(detail.GetProperty("events").EnumerateArray(), e => e.GetProperty("event").GetString() == "resolved");
        Assert.Equal(("resolved", "Resolved by alice. Cause: the power supply failed. Fix: replaced the PSU."),
            (resolvedEvent.GetProperty("status").GetString(), resolvedEvent.GetProperty("text").GetString()));
        Assert.Equal(detail.GetProperty("timeline").GetArrayLength(), detail.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task An_agent_acknowledgement_stops_escalation_and_bad_requests_get_clear_errors()
    {
        // L1 gets six seconds here, so escalation is observable and the acknowledgement comes well inside the window
        // on a busy machine (with two it sometimes came after); a second incident nobody acknowledges is the control.
        var rules = Path.Combine(_dir.Path, "rules.json");
        await File.WriteAllTextAsync(rules, """{ "version": 1, "sla": { "l1Window": "6s" } }""");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["HELPDESK_AGENT_KEY"] = AgentKey, ["Helpdesk__RulesPath"] = rules });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await service.IngestAsync(Records.Service(NotificationType.Problem, timeT: now));
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "control01", timeT: now));

        using (var acknowledged = await ActAsync(service, "INC-000001", "acknowledge", AgentKey, """{"by":"carol","comment":"looking"}"""))
        {
            var json = await BodyAsync(acknowledged);
            Assert.Equal("acknowledged", json.GetProperty("incident").GetProperty("status").GetString());
            Assert.Equal("carol", json.GetProperty("incident").GetProperty("acknowledgedBy").GetString());
        }

        // The control moves to L2 when its L1 window runs out; by then the acknowledged one would have too.
        await service.WaitForAsync("/api/v1/incidents/INC-000002", i => i.GetProperty("incident").GetProperty("tier").GetString() == "L2", TimeSpan.FromSeconds(30));
        var kept = (await service.GetJsonAsync("/api/v1/incidents/INC-000001")).GetProperty("incident");
        Assert.Equal("L1", kept.GetProperty("tier").GetString());
        Assert.Equal(0, kept.GetProperty("sla").GetProperty("escalations").GetInt32());

        using (var missing = await ActAsync(service, "INC-000099", "resolve", AgentKey, """{"by":"carol","cause":"c","fix":"f"}"""))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var bad = await ActAsync(service, "INC-000001", "resolve", AgentKey, """{"comment":"who?"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("\\\"by\\\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var notJson = await ActAsync(service, "INC-000001", "resolve", AgentKey, "resolve it"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
            Assert.Equal("the body must be a JSON object such as {\"comment\": \"...\"}: not valid JSON at line 1, byte 1: 'r' is an invalid start of a value",
                JsonDocument.Parse(await notJson.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        }

        using (var array = await ActAsync(service, "INC-000001", "resolve", AgentKey, """[{"by":"carol"}]"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);
            Assert.Equal("the body must be a JSON object such as {\"comment\": \"...\"}: it is not a JSON object",
                JsonDocument.Parse(await array.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        }

        using (var badKey = await ActAsync(service, "INC-000001", "resolve", AgentKey, """{"by":"carol"}""", "not-a-uuid"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        }

        // A value of the wrong type is named by its field, not by the service's own classes.
        using (var wrongType = await ActAsync(service, "INC-000001", "notes", AgentKey, """{"by":"carol","text":5}"""))
        {
            var text = await wrongType.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
            Assert.Contains("\\\"text\\\" has a value of the wrong type", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Helpdesk.Monitoring", text, StringComparison.Ordinal);
        }

        // An escape sequence in a note would reach the terminal of whoever reads it: refused, naming the field; line
        // breaks and tabs are text.
        using (var escape = await ActAsync(service, "INC-000001", "notes", AgentKey, """{"by":"carol","text":"red \u001b[31mALERT"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, escape.StatusCode);
            Assert.Contains("\\\"text\\\" holds a control character (U+001B)", await escape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var lines = await ActAsync(service, "INC-000001", "notes", AgentKey, """{"by":"carol","text":"first line\r\nsecond\tline"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, lines.StatusCode);
        }
    }

    [Fact]
    public async Task The_service_refuses_an_agent_key_equal_to_an_ingest_key()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["HELPDESK_AGENT_KEY"] = ServiceProcess.IngestKey }, waitReady: false);
        Assert.NotEqual(0, await service.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("must differ from the ingest keys", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ServiceProcess.IngestKey, service.Output, StringComparison.Ordinal);
    }


    private static Task<HttpResponseMessage> ActAsync(ServiceProcess service, string number, string action, string key, string body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{number}/{action}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return service.Http.SendAsync(request);
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
