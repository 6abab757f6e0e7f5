using System.Text.Json;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Outbound;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>The Teams channel: an Adaptive Card 1.4 per event, valid against the schema, posted by a real service to a local receiver.</summary>
public sealed class TeamsDeliveryIntegrationTests : IAsyncLifetime
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

    private static PendingDelivery Delivery(IncidentEventKind kind, IncidentStatus status, Priority priority) =>
        new("teams", new IncidentEvent(IncidentEvent.IdOf(1, 1), kind, DateTimeOffset.UnixEpoch, 1, 1, null, status, priority, "L1", AlertState.Critical, 3, null,
            "Opened from PROBLEM (CRITICAL): <b>connection refused</b> & \"quotes\""),
            new OutboundIncident(1, "web01 HTTP CRITICAL", "web", "acme", "web01", "HTTP"), 1, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData(IncidentStatus.Open, Priority.P1, "attention")]
    [InlineData(IncidentStatus.Open, Priority.P2, "attention")]
    [InlineData(IncidentStatus.Acknowledged, Priority.P3, "warning")]
    [InlineData(IncidentStatus.Open, Priority.P5, "accent")]
    [InlineData(IncidentStatus.Resolved, Priority.P1, "good")]
    public void The_card_is_valid_adaptive_card_1_4_coloured_by_priority_until_it_is_over(IncidentStatus status, Priority priority, string style)
    {
        var message = JsonDocument.Parse(TeamsCard.Message(Delivery(IncidentEventKind.Opened, status, priority), "https://helpdesk.example.com/incidents/INC-000001",
            new IncidentSla("24x7", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(15), DateTimeOffset.UnixEpoch.AddHours(4), true, false, null, 1))).RootElement;

        Assert.Equal("message", message.GetProperty("type").GetString());
        var attachment = message.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Empty(AdaptiveCardSchema.Violations(card));
        Assert.Equal(style, card.GetProperty("body")[0].GetProperty("style").GetString());
        var facts = card.GetProperty("body")[2].GetProperty("facts").EnumerateArray().ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString()!);
        Assert.Equal("1970-01-01 00:15:00Z (breached)", facts["Response due"]);
        Assert.Equal("web01 / HTTP", facts["Host / service"]);
        Assert.Equal("https://helpdesk.example.com/incidents/INC-000001", card.GetProperty("actions")[0].GetProperty("url").GetString());
        Assert.Equal("Opened from PROBLEM (CRITICAL): <b>connection refused</b> & \"quotes\"", card.GetProperty("body")[1].GetProperty("text").GetString());
    }

    [Fact]
    public void The_card_that_opens_an_incident_carries_its_description_a_block_a_line_and_bounded()
    {
        var description = "Service runbook: https://wiki.example.com/runbooks/http\nOutput: CRITICAL - timeout\nDetails:\n"
            + string.Join("\n", Enumerable.Range(1, 100).Select(n => $"backend {n}: connection refused")) + "\n";
        var delivery = Delivery(IncidentEventKind.Opened, IncidentStatus.Open, Priority.P2);
        var card = JsonDocument.Parse(TeamsCard.Message(delivery with { Incident = delivery.Incident with { Description = description } }, ""))
            .RootElement.GetProperty("attachments")[0].GetProperty("content");

        Assert.Empty(AdaptiveCardSchema.Violations(card));
        var blocks = card.GetProperty("body").EnumerateArray().Skip(3).Select(b => b.GetProperty("text").GetString()).ToList();
        Assert.Equal("Service runbook: https://wiki.example.com/runbooks/http", blocks[0]);
        Assert.Equal("backend 1: connection refused", blocks[3]);
        Assert.Equal(41, blocks.Count);
        Assert.Equal("… 63 more lines in the incident", blocks[^1]);

        // One long line is cut, whatever its length: the card stays inside what Teams takes.
        var huge = delivery with { Incident = delivery.Incident with { Description = new string('x', 60_000) } };
        Assert.InRange(TeamsCard.Message(huge, "").Length, 1, 8_000);
    }

    [Fact]
    public void A_storm_s_card_names_the_storm_where_a_host_would_be()
    {
        // A storm's incident has a service ("storm <start>") and no host: the fact once read " / storm …".
        var delivery = Delivery(IncidentEventKind.Opened, IncidentStatus.Open, Priority.P2);
        var storm = delivery with { Incident = delivery.Incident with { Host = "", Service = "storm 2026-12-03T05:56:33Z" } };
        var card = JsonDocument.Parse(TeamsCard.Message(storm, "")).RootElement.GetProperty("attachments")[0].GetProperty("content");

        var facts = card.GetProperty("body")[2].GetProperty("facts").EnumerateArray().ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString()!);
        Assert.Equal("storm 2026-12-03T05:56:33Z", facts["Host / service"]);
    }

    [Fact]
    public void The_held_back_summary_is_a_valid_card_too()
    {
        var card = JsonDocument.Parse(TeamsCard.HeldBack(15, 60)).RootElement.GetProperty("attachments")[0].GetProperty("content");

        Assert.Empty(AdaptiveCardSchema.Violations(card));
        Assert.Equal("15 helpdesk messages held back", card.GetProperty("body")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void The_schema_check_catches_what_teams_would_refuse()
    {
        var card = JsonDocument.Parse("""
            { "type": "AdaptiveCard", "version": "1.6", "body": [
                { "type": "TextBlock", "text": "x", "color": "red", "wrapp": true },
                { "type": "Image", "url": "x" },
                { "type": "FactSet", "facts": [ { "title": "a" } ] } ] }
            """).RootElement;

        Assert.Equal(
            [
                "$.version: must be a version up to 1.4",
                "$.body[0].wrapp: not a property the schema defines here",
                "$.body[0].color: 'red' is not one of default, dark, light, accent, good, warning, attention",
                "$.body[1].type: 'Image' is not an element these cards use",
                "$.body[2].facts[0].value: required, a string",
            ],
            AdaptiveCardSchema.Violations(card));
    }

    [Fact]
    public async Task A_running_service_posts_each_event_as_a_card_to_the_teams_url()
    {
        var settings = new Dictionary<string, string>
        {
            ["Helpdesk__Outbound__Teams__noc__Url"] = _receiver.Url + "?sig=s3cret",
            ["Helpdesk__Outbound__IncidentUrl"] = "https://helpdesk.example.com/incidents/{number}",
        };
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01"));

        var taken = await _receiver.WaitForAsync(t => t.Count >= 1, TimeSpan.FromSeconds(30), () => service.Output);
        var card = taken[0].Body.GetProperty("attachments")[0].GetProperty("content");
        Assert.Empty(AdaptiveCardSchema.Violations(card));
        Assert.StartsWith("INC-000001 · P", card.GetProperty("body")[0].GetProperty("items")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("https://helpdesk.example.com/incidents/INC-000001", taken[0].Body.GetRawText(), StringComparison.Ordinal);

        // The URL's secret never reaches the log, in its query (a workflow's) or in its path (an incoming webhook's).
        Assert.DoesNotContain("s3cret", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/hook", service.Output, StringComparison.Ordinal);
        Assert.Contains($"Microsoft Teams {new Uri(_receiver.Url).GetLeftPart(UriPartial.Authority)}/…", service.Output, StringComparison.Ordinal);
    }
}
