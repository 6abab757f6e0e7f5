using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>SLA clocks and the escalation ladder, in virtual time. A CRITICAL with medium impact is P2 (30m / 8h, 24x7).</summary>
public sealed class SlaTests
{
    private static string[] Escalations(DeciderDriver d) => d.Timeline.Where(e => e.Kind == TimelineKind.Escalated).Select(e => e.Text).ToArray();

    private static string[] Breaches(DeciderDriver d) => d.Timeline.Where(e => e.Kind == TimelineKind.Breached).Select(e => e.Text).ToArray();

    [Fact]
    public void An_unacknowledged_incident_moves_to_L2_after_the_L1_window_and_up_again_on_a_response_breach()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        var opened = d.Single();
        Assert.Equal((Priority.P2, "L1", "24x7"), (opened.Priority, opened.Tier, opened.Sla.Calendar));
        Assert.Equal(opened.OpenedAt.AddMinutes(30), opened.Sla.ResponseDueAt);
        Assert.Equal(opened.OpenedAt.AddHours(8), opened.Sla.ResolutionDueAt);

        d.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal("L1", d.Single().Tier);
        d.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("L2", d.Single().Tier);
        Assert.Equal(["Escalated from L1 to L2: not acknowledged by L1 within 15m"], Escalations(d));

        d.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(("L3", true), (d.Single().Tier, d.Single().Sla.ResponseBreached));
        Assert.Equal(["Response target of P2 breached: 30m on the 24x7 calendar"], Breaches(d));

        // Acknowledged: the resolution breach is recorded, but escalation has stopped.
        d.Apply(Records.Service(NotificationType.Acknowledgement, author: "bob", timeT: Records.T0 + 1900));
        d.Advance(TimeSpan.FromHours(8));
        Assert.Equal(2, Breaches(d).Length);
        Assert.Equal((2, true), (d.Single().Sla.Escalations, d.Single().Sla.ResolutionBreached));
        Assert.Equal(2, Escalations(d).Length);
    }

    [Fact]
    public void A_reopened_incident_starts_fresh_clocks_from_the_reopening_problem()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Advance(TimeSpan.FromMinutes(31));
        Assert.True(d.Single().Sla.ResponseBreached);
        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 1900));

        // Reopened ten minutes later: new deadlines from the reopening problem's time, nothing breached yet.
        d.Advance(TimeSpan.FromMinutes(11));
        d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 2500));
        var sla = d.Single().Sla;
        var reopened = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 2500);
        Assert.Equal((reopened, reopened.AddMinutes(30), reopened.AddHours(8)), (sla.StartedAt, sla.ResponseDueAt, sla.ResolutionDueAt));
        Assert.Equal((false, false, (DateTimeOffset?)null), (sla.ResponseBreached, sla.ResolutionBreached, sla.PausedAt));
    }

    [Fact]
    public void Escalation_stops_at_the_top_tier()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Advance(TimeSpan.FromDays(2));
        Assert.Equal("L3", d.Single().Tier);
        Assert.Equal(["Escalated from L1 to L2: not acknowledged by L1 within 15m", "Escalated from L2 to L3: response target breached"],
            Escalations(d).Select(e => e.Split(" (")[0]).ToArray());
        Assert.Equal(2, d.Single().Sla.Escalations);
    }

    [Fact]
    public void An_acknowledgement_within_the_window_stops_escalation()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Advance(TimeSpan.FromMinutes(10));
        d.Apply(Records.Service(NotificationType.Acknowledgement, author: "alice", timeT: Records.T0 + 600));
        d.Advance(TimeSpan.FromHours(1));
        Assert.Equal("L1", d.Single().Tier);
        Assert.Empty(Escalations(d));
        Assert.Empty(Breaches(d));
    }

    [Fact]
    public void Maintenance_pauses_the_clock_and_the_deadlines_move_by_the_pause()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Advance(TimeSpan.FromMinutes(5));
        d.Apply(Records.Service(NotificationType.DowntimeStart, timeT: Records.T0 + 300));
        d.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal("L1", d.Single().Tier);
        Assert.NotNull(d.Single().Sla.PausedAt);

        d.Apply(Records.Service(NotificationType.DowntimeEnd, timeT: Records.T0 + 3900));
        var resumed = d.Single();
        Assert.Null(resumed.Sla.PausedAt);
        Assert.Equal(resumed.OpenedAt.AddMinutes(90), resumed.Sla.ResponseDueAt);
        d.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("L1", d.Single().Tier);
        d.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("L2", d.Single().Tier);
    }

    [Fact]
    public void Clocks_survive_a_restart()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Advance(TimeSpan.FromMinutes(10));
        d.Restart();
        d.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("L2", d.Single().Tier);
    }

    [Fact]
    public void A_rising_priority_brings_the_deadlines_forward()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - slow"));
        var before = d.Single();
        Assert.True(before.Priority > Priority.P2);
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Critical, timeT: Records.T0 + 60));
        var after = d.Single();
        Assert.Equal(Priority.P2, after.Priority);
        Assert.Equal(after.OpenedAt.AddMinutes(30), after.Sla.ResponseDueAt);
    }

    [Fact]
    public void A_customer_on_business_hours_gets_deadlines_on_its_calendar()
    {
        var rules = RulesFile.Parse("""
            {
              "version": 1,
              "sla": {
                "calendars": { "office": { "timeZone": "Europe/Berlin", "days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start": "09:00", "end": "17:00", "holidays": ["2026-11-23"] } },
                "targets": { "P2": { "response": "4h", "resolution": "16h" } },
                "customers": [ { "match": { "customer": "acme" }, "calendar": "office" } ]
              }
            }
            """);
        Assert.Empty(rules.Errors);

        // Friday 2026-11-20 16:00 in Berlin (15:00 UTC); Monday 23rd is a holiday.
        var friday = new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
        var d = new DeciderDriver(new IncidentPolicy { Rules = rules.Rules! }, friday);
        d.Apply(Records.Service(NotificationType.Problem, timeT: friday.ToUnixTimeSeconds()));
        var incident = d.Single();
        Assert.Equal("office", incident.Sla.Calendar);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.Zero), incident.Sla.ResponseDueAt);
        // Durations count open time: 16h on a 9–17 calendar is two working days.
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero), incident.Sla.ResolutionDueAt);

        // Another customer stays on the built-in 24x7 calendar.
        d.Apply(Records.Service(NotificationType.Problem, host: "other01", customer: "globex", timeT: friday.ToUnixTimeSeconds()));
        Assert.Equal("24x7", d.Incidents.Values.Single(i => i.Host == "other01").Sla.Calendar);
    }

    /// <summary>P4 runs on office hours (08:00–18:00 Berlin, weekdays), P2 around the clock; acme's contract is office hours for all.</summary>
    private static IncidentPolicy OfficeHoursBelowP2(string customers = "") => new()
    {
        Rules = RulesFile.Parse($$"""
            {
              "version": 1,
              "sla": {
                "calendars": { "office": { "timeZone": "Europe/Berlin", "days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start": "08:00", "end": "18:00" } },
                "targets": { "P2": { "response": "30m", "resolution": "8h", "calendar": "24x7" },
                             "P4": { "response": "8h", "resolution": "3d", "calendar": "office" } },
                "customers": [ {{customers}} ]
              }
            }
            """).Rules!,
    };

    // Wednesday 2026-12-02 22:00 UTC, 23:00 in Berlin: the office is closed until 08:00.
    private static readonly DateTimeOffset LateEvening = new(2026, 12, 2, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_priority_that_rises_at_night_takes_its_own_calendar_and_is_not_left_waiting_for_the_office_to_open()
    {
        var d = new DeciderDriver(OfficeHoursBelowP2(), LateEvening);
        var t = LateEvening.ToUnixTimeSeconds();
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - 45 slow queries", timeT: t));
        Assert.Equal((Priority.P4, "office"), (d.Single().Priority, d.Single().Sla.Calendar));

        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Critical, output: "CRITICAL - 300 slow queries", timeT: t + 600));
        var raised = d.Single();
        Assert.Equal((Priority.P2, "24x7"), (raised.Priority, raised.Sla.Calendar));
        Assert.Equal(LateEvening.AddMinutes(30), raised.Sla.ResponseDueAt);
        Assert.Equal(LateEvening.AddHours(8), raised.Sla.ResolutionDueAt);

        d.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(["Response target of P2 breached: 30m on the 24x7 calendar"], Breaches(d));
    }

    [Fact]
    public void A_customers_contract_calendar_stays_when_the_priority_rises()
    {
        var d = new DeciderDriver(OfficeHoursBelowP2("""{ "match": { "customer": "acme" }, "calendar": "office" }"""), LateEvening);
        var t = LateEvening.ToUnixTimeSeconds();
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, customer: "acme", timeT: t));
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Critical, customer: "acme", timeT: t + 600));
        var raised = d.Single();
        Assert.Equal((Priority.P2, "office"), (raised.Priority, raised.Sla.Calendar));
        // 30 minutes of office time: from 08:00 Berlin (07:00 UTC) the next morning.
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 7, 30, 0, TimeSpan.Zero), raised.Sla.ResponseDueAt);
    }

    [Fact]
    public void A_priority_that_rises_in_maintenance_applies_and_its_deadlines_move_by_the_pause_when_it_ends()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - slow"));
        var p4 = d.Single().Sla.ResponseDueAt;
        d.Advance(TimeSpan.FromMinutes(5));
        d.Apply(Records.Service(NotificationType.DowntimeStart, state: AlertState.Warning, timeT: Records.T0 + 300));
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Critical, timeT: Records.T0 + 600));
        var raised = d.Single();
        Assert.Equal(Priority.P2, raised.Priority);
        Assert.Equal(raised.OpenedAt.AddMinutes(30), raised.Sla.ResponseDueAt);
        Assert.True(raised.Sla.ResponseDueAt < p4);

        // Twenty minutes of maintenance: 30 minutes from the start plus the pause.
        d.Advance(TimeSpan.FromMinutes(20));
        d.Apply(Records.Service(NotificationType.DowntimeEnd, state: AlertState.Critical, timeT: Records.T0 + 1500));
        Assert.Equal(raised.OpenedAt.AddMinutes(50), d.Single().Sla.ResponseDueAt);
    }

    [Fact]
    public void L1s_window_counts_the_incidents_calendar_so_a_night_on_office_hours_is_not_escalated_before_the_office_opens()
    {
        var d = new DeciderDriver(OfficeHoursBelowP2(), LateEvening);
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - 45 slow queries", timeT: LateEvening.ToUnixTimeSeconds()));
        Assert.Equal((Priority.P4, "office"), (d.Single().Priority, d.Single().Sla.Calendar));

        // 08:00 in Berlin is 07:00 UTC: L1 has its 15 minutes from then.
        d.Advance(new DateTimeOffset(2026, 12, 3, 7, 14, 0, TimeSpan.Zero) - LateEvening);
        Assert.Equal("L1", d.Single().Tier);
        d.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("L2", d.Single().Tier);
        Assert.Equal(["Escalated from L1 to L2: not acknowledged by L1 within 15m"], Escalations(d));
    }

    [Fact]
    public void A_merged_incident_brings_the_tier_it_was_escalated_to_and_its_earlier_deadlines()
    {
        // web01/HTTP fails first (P2: 30m to respond), nobody acknowledges, L2 is paged at 15m; at 20m its host goes down.
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, host: "web01"));
        d.Advance(TimeSpan.FromMinutes(20));
        d.Apply(Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 1200));

        var host = d.Incidents.Values.Single(i => i.Status != IncidentStatus.Closed);
        Assert.Equal("L2", host.Tier);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0).AddMinutes(30), host.Sla.ResponseDueAt);
        Assert.Contains(d.Timeline, e => e.IncidentId == host.Id && e.Text.EndsWith(
            "merged in by rule host-down (key web01); it brings its tier L2 and its earlier SLA deadlines", StringComparison.Ordinal));

        // The deadline the customer has waited on since the service failed: breached at 30m, and up to L3.
        d.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("L3", d.Incidents[host.Id].Tier);
        Assert.Contains("Response target of P2 breached: 30m on the 24x7 calendar", Breaches(d));
    }

    [Fact]
    public void A_merged_incident_someone_acknowledged_does_not_bring_its_response_deadline()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, host: "web01"));
        d.Advance(TimeSpan.FromMinutes(5));
        d.Apply(Records.Service(NotificationType.Acknowledgement, host: "web01", author: "alice", comment: "looking", timeT: Records.T0 + 300));
        d.Advance(TimeSpan.FromMinutes(15));
        d.Apply(Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 1200));

        var host = d.Incidents.Values.Single(i => i.Status != IncidentStatus.Closed);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 1200).AddMinutes(30), host.Sla.ResponseDueAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0).AddHours(8), host.Sla.ResolutionDueAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 1200), host.Sla.StartedAt);
        Assert.Equal("L1", host.Tier);
    }
}
