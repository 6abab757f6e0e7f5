using Helpdesk.Monitoring.Customers;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// Status updates to the customer at the cadence their rules give the incident's priority: on time, never in a burst
/// after a pause, none in maintenance or once resolved; and the signed links in their mail.
/// </summary>
public sealed class CustomerUpdateTests
{
    private static IncidentPolicy Policy()
    {
        var (rules, errors) = RulesFile.Parse("""
            { "version": 1, "customers": { "acme": { "contacts": ["it@acme.example"], "updateEvery": { "P2": "30m", "P1": "10m" } } } }
            """);
        Assert.Empty(errors);
        return new IncidentPolicy { Rules = rules! };
    }

    private static List<TimelineEntry> Updates(DeciderDriver d) => [.. d.Timeline.Where(t => t.Kind == TimelineKind.CustomerUpdate)];

    [Fact]
    public void An_open_incident_gets_a_status_update_every_interval_and_none_once_resolved()
    {
        var d = new DeciderDriver(Policy());
        var opened = d.Now;
        d.Apply(Records.Service(NotificationType.Problem, customer: "acme", timeT: opened.ToUnixTimeSeconds()));
        d.Apply(Records.Service(NotificationType.Problem, host: "other01", customer: "globex", timeT: opened.ToUnixTimeSeconds()));

        d.Advance(TimeSpan.FromMinutes(29));
        Assert.Empty(Updates(d));
        d.Advance(TimeSpan.FromMinutes(1));
        var first = Assert.Single(Updates(d));
        Assert.Equal((opened + TimeSpan.FromMinutes(30), "Status update to the customer (every 30m at P2)"), (first.At, first.Text));

        // Down for two hours: one update when it is back, then the cadence again (at 3 h), never four at once.
        d.Advance(TimeSpan.FromMinutes(125));
        Assert.Equal(2, Updates(d).Count);
        d.Advance(TimeSpan.FromMinutes(24));
        Assert.Equal(2, Updates(d).Count);
        d.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, Updates(d).Count);

        // Raised to P1: every ten minutes from the SLA's start.
        var id = d.Incidents.Values.Single(i => i.Customer == "acme").Id;
        d.Apply(new AgentAction(Guid.CreateVersion7(), id, AgentActionKind.Prioritize, "carol", "worse") { Priority = Priority.P1 });
        d.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(4, Updates(d).Count);

        d.Apply(new AgentAction(Guid.CreateVersion7(), id, AgentActionKind.Resolve, "carol", "") { Cause = "c", Fix = "f" });
        d.Advance(TimeSpan.FromHours(3));
        Assert.Equal(4, Updates(d).Count);
        Assert.All(Updates(d), u => Assert.Equal(id, u.IncidentId));
    }

    [Fact]
    public void A_customer_on_office_hours_hears_on_its_calendar_not_at_night()
    {
        var (rules, errors) = RulesFile.Parse("""
            {
              "version": 1,
              "customers": { "acme": { "contacts": ["it@acme.example"], "updateEvery": { "P2": "1h" } } },
              "sla": {
                "calendars": { "office": { "timeZone": "Europe/Berlin", "days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start": "08:00", "end": "18:00" } },
                "customers": [ { "match": { "customer": "acme" }, "calendar": "office" } ]
              }
            }
            """);
        Assert.Empty(errors);

        // Wednesday 2026-12-02 16:30 UTC, 17:30 in Berlin: half an hour of office time left today.
        var opened = new DateTimeOffset(2026, 12, 2, 16, 30, 0, TimeSpan.Zero);
        var d = new DeciderDriver(new IncidentPolicy { Rules = rules! }, opened);
        d.Apply(Records.Service(NotificationType.Problem, customer: "acme", timeT: opened.ToUnixTimeSeconds()));

        // An hour of office time: half an hour tonight, half an hour from 08:00 Berlin (07:00 UTC) tomorrow.
        d.Advance(TimeSpan.FromHours(14));
        Assert.Empty(Updates(d));
        d.Advance(new DateTimeOffset(2026, 12, 3, 7, 30, 0, TimeSpan.Zero) - d.Now);
        var first = Assert.Single(Updates(d));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 7, 30, 0, TimeSpan.Zero), first.At);
        d.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, Updates(d).Count);
    }

    [Fact]
    public void No_status_update_is_owed_in_maintenance_and_the_cadence_resumes_after_it()
    {
        var d = new DeciderDriver(Policy());
        var t0 = d.Now.ToUnixTimeSeconds();
        d.Apply(Records.Service(NotificationType.Problem, customer: "acme", timeT: t0));
        d.Apply(Records.Service(NotificationType.DowntimeStart, customer: "acme", timeT: t0 + 60));
        d.Advance(TimeSpan.FromHours(2));
        Assert.Empty(Updates(d));
        d.Apply(Records.Service(NotificationType.DowntimeEnd, customer: "acme", timeT: d.Now.ToUnixTimeSeconds()));
        d.Advance(TimeSpan.FromMinutes(31));
        Assert.Single(Updates(d));
    }

    [Fact]
    public void The_customers_section_names_every_mistake()
    {
        var (_, errors) = RulesFile.Parse("""
            { "version": 1, "customers": {
                "acme": { "contacts": [], "language": "fr", "updateEvery": { "P9": "1h", "P1": "1m" } },
                "globex": { "contacts": ["not an address", "ops@", "a@b@example.com", "ok@example.com"], "phone": "123" } } }
            """);
        Assert.Equal(
            [
                "customers.acme.contacts: name at least one e-mail address",
                "customers.acme.language: 'fr' is not one of en, de",
                "customers.acme.updateEvery: 'P9' is not P1, P2, P3, P4 or P5",
                "customers.acme.updateEvery.P1: must be a duration of at least 5m, such as \"30m\" or \"4h\"",
            ],
            errors.Where(e => e.StartsWith("customers.acme", StringComparison.Ordinal)));
        Assert.Equal(
            ["'not an address'", "'ops@'", "'a@b@example.com'"],
            errors.Where(e => e.StartsWith("customers.globex.contacts", StringComparison.Ordinal)).Select(e => e["customers.globex.contacts: ".Length..^" is not an e-mail address".Length]));
        Assert.Contains(errors, e => e.StartsWith("customers.globex.phone", StringComparison.Ordinal) || e.Contains("'phone'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_customer_is_found_whatever_the_case_nagios_writes_and_named_once()
    {
        var (rules, errors) = RulesFile.Parse("""
            { "version": 1, "customers": { "Acme": { "contacts": ["it@acme.example"] } } }
            """);
        Assert.Empty(errors);
        Assert.Equal(["it@acme.example"], rules!.Customers.Of("ACME")?.Contacts);
        Assert.Equal(["it@acme.example"], rules.Customers.Of("acme")?.Contacts);
        Assert.Null(rules.Customers.Of("acme-eu"));

        (_, errors) = RulesFile.Parse("""
            { "version": 1, "customers": { "acme": { "contacts": ["it@acme.example"] }, "ACME": { "contacts": ["boss@acme.example"] } } }
            """);
        Assert.Equal(["customers.ACME: the same customer as 'acme' (names are matched without regard to case): give each once"], errors);
    }

    [Fact]
    public void A_customer_link_works_until_it_expires_and_only_as_it_was_signed()
    {
        var links = new CustomerLinks(new byte[32]);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var token = links.Sign(new CustomerLink(42, CustomerLinkPurpose.Verify, "acme", now + TimeSpan.FromDays(14)));
        Assert.Equal(new CustomerLink(42, CustomerLinkPurpose.Verify, "acme", now + TimeSpan.FromDays(14)), links.Verify(token, now));
        Assert.Null(links.Verify(token, now + TimeSpan.FromDays(15)));
        Assert.Null(new CustomerLinks(new byte[] { 1 }).Verify(token, now));
        var forged = new CustomerLinks(new byte[32]).Sign(new CustomerLink(43, CustomerLinkPurpose.Rate, "acme", now + TimeSpan.FromDays(1)));
        Assert.Null(links.Verify(forged.Split('.')[0] + "." + token.Split('.')[1], now));
        Assert.Null(links.Verify("garbage", now));
        Assert.Null(links.Verify(new string('a', 5000), now));
    }
}
