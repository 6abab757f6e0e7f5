using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Policy;

/// <summary>Which incident events go to which channels: the rules file's outbound routes.</summary>
public sealed class OutboundRulesTests
{
    private static readonly string[] Channels = ["mail", "noc-teams", "webhook"];

    private static OutboundEvent Event(IncidentEventKind kind, Priority priority = Priority.P3, string team = "noc", string tier = "L1",
        string customer = "acme", bool inMaintenance = false) =>
        new(IncidentEventKindNames.Of(kind), priority, tier, team, customer, inMaintenance);

    private static OutboundRules Parse(string outbound)
    {
        var (rules, errors) = RulesFile.Parse($$"""{ "version": 1, "outbound": {{outbound}} }""");
        Assert.Empty(errors);
        return rules!.Outbound;
    }

    [Fact]
    public void A_route_can_name_every_incident_event_and_nothing_else() =>
        Assert.Equal(Enum.GetValues<IncidentEventKind>().Select(IncidentEventKindNames.Of).Order(), OutboundRules.EventNames.Order());

    [Fact]
    public void Without_routes_every_event_goes_to_every_channel() =>
        Assert.Equal(Channels, new OutboundRules().ChannelsFor(Event(IncidentEventKind.Updated), Channels));

    [Fact]
    public void Every_matching_route_adds_its_channels_and_the_default_takes_what_none_matched()
    {
        var rules = Parse("""
            {
              "routes": [
                { "events": ["opened", "escalated"], "priorities": ["P1", "P2"], "channels": ["noc-teams", "mail"] },
                { "teams": ["noc"], "channels": ["webhook"] }
              ],
              "default": ["mail"]
            }
            """);

        Assert.Equal(["mail", "noc-teams", "webhook"], rules.ChannelsFor(Event(IncidentEventKind.Opened, Priority.P2), Channels));
        Assert.Equal(["webhook"], rules.ChannelsFor(Event(IncidentEventKind.Opened, Priority.P3), Channels));
        Assert.Equal(["mail"], rules.ChannelsFor(Event(IncidentEventKind.Resolved, team: "servers"), Channels));
    }

    [Fact]
    public void Tiers_and_customers_narrow_a_route_and_a_star_means_every_channel()
    {
        var rules = Parse("""{ "routes": [ { "tiers": ["L2", "L3"], "customers": ["acme"], "channels": ["*"] } ], "default": [] }""");

        Assert.Equal(Channels, rules.ChannelsFor(Event(IncidentEventKind.Escalated, tier: "L2"), Channels));
        Assert.Empty(rules.ChannelsFor(Event(IncidentEventKind.Escalated, tier: "L1"), Channels));
        Assert.Empty(rules.ChannelsFor(Event(IncidentEventKind.Escalated, tier: "L2", customer: "globex"), Channels));

        // As Nagios' custom variable wrote it: customers are named without regard to case, as everywhere in the rules.
        Assert.Equal(Channels, rules.ChannelsFor(Event(IncidentEventKind.Escalated, tier: "L2", customer: "ACME"), Channels));
    }

    [Theory]
    [InlineData(IncidentEventKind.Opened, false)]
    [InlineData(IncidentEventKind.Reopened, false)]
    [InlineData(IncidentEventKind.Escalated, false)]
    [InlineData(IncidentEventKind.Breached, false)]
    [InlineData(IncidentEventKind.Resolved, true)]
    [InlineData(IncidentEventKind.MaintenanceStarted, true)]
    public void Maintenance_holds_back_the_events_that_page_and_nothing_else(IncidentEventKind kind, bool sent) =>
        Assert.Equal(sent, new OutboundRules().ChannelsFor(Event(kind, inMaintenance: true), Channels).Any());

    [Fact]
    public void A_channel_the_service_does_not_have_is_left_out_and_none_configured_sends_nothing()
    {
        var rules = Parse("""{ "routes": [ { "channels": ["pager", "mail"] } ] }""");

        Assert.Equal(["mail"], rules.ChannelsFor(Event(IncidentEventKind.Opened), Channels));
        Assert.Empty(rules.ChannelsFor(Event(IncidentEventKind.Opened), []));
    }

    [Theory]
    [InlineData("""{ "routes": [ { "events": ["exploded"], "channels": ["mail"] } ] }""", "outbound.routes[0].events: 'exploded' is not an incident event")]
    [InlineData("""{ "routes": [ { "priorities": ["P9"], "channels": ["mail"] } ] }""", "outbound.routes[0].priorities: 'P9' is not P1, P2, P3, P4 or P5")]
    [InlineData("""{ "routes": [ { "tiers": ["L4"], "channels": ["mail"] } ] }""", "outbound.routes[0].tiers: 'L4' is not L1, L2 or L3")]
    [InlineData("""{ "routes": [ { "events": ["opened"] } ] }""", "outbound.routes[0].channels: name at least one channel (or '*' for every channel)")]
    [InlineData("""{ "routes": [ { "channel": ["mail"] } ] }""", "outbound.routes[0].channel")]
    [InlineData("""{ "default": [""] }""", "outbound.default: entries must be non-empty strings")]
    public void A_wrong_route_is_refused_with_its_place(string outbound, string error)
    {
        var (rules, errors) = RulesFile.Parse($$"""{ "version": 1, "outbound": {{outbound}} }""");

        Assert.Null(rules);
        Assert.Contains(errors, e => e.StartsWith(error, StringComparison.Ordinal));
    }
}
