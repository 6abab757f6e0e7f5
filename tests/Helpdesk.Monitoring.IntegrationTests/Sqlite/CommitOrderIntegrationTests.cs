using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// The outbox is written in commit order (each commit's rows at the end of the table, not among their incident's older
/// rows) and read by incident through its index: what a state change costs the store does not grow with the number of
/// incidents, and every reader still finds an incident's rows in sequence. The timeline is read from the same rows.
/// </summary>
public sealed class CommitOrderIntegrationTests : SqliteFileTest
{
    [Fact]
    public async Task Rows_go_on_in_commit_order_and_each_incident_reads_back_in_sequence()
    {
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath });

        // INC-1 and INC-2 open; then INC-2 changes before INC-1 does, twice over.
        await store.CommitAsync(Plans.Decide(Decider,
            Records.Service(NotificationType.Problem, host: "web01", timeT: Records.T0),
            Records.Service(NotificationType.Problem, host: "web02", timeT: Records.T0)), default);
        var states = new[] { AlertState.Warning, AlertState.Critical };
        foreach (var state in states)
        {
            await store.CommitAsync(Plans.Decide(Decider, Records.Service(NotificationType.Problem, host: "web02", state: state, timeT: Records.T0 + 1)), default);
            await store.CommitAsync(Plans.Decide(Decider, Records.Service(NotificationType.Problem, host: "web01", state: state, timeT: Records.T0 + 1)), default);
        }

        string[] written = ["1:1", "2:1", "2:2", "1:2", "2:3", "1:3"];
        Assert.Equal(written, Rows("SELECT incident_id || ':' || seq FROM incident_event ORDER BY rowid"));
        Assert.Empty(Rows("SELECT seq FROM timeline_before_outbox"));

        var detail = (await store.GetAsync(1, default))!;
        Assert.Equal([1, 2, 3], detail.Timeline.Select(t => t.Seq));
        Assert.Equal([1, 2, 3], detail.Events.Select(e => e.Seq));
        Assert.Equal(AlertState.Critical, detail.Events[^1].State);

        // The index by incident is what those reads use (the timeline's too, through its view), and it refuses a
        // second row for one (incident, seq).
        Assert.Contains("ux_incident_event", Rows("EXPLAIN QUERY PLAN SELECT * FROM incident_event WHERE incident_id = 1 ORDER BY seq", column: 3).Single());
        Assert.Contains(Rows("EXPLAIN QUERY PLAN SELECT * FROM timeline WHERE incident_id = 1 ORDER BY seq", column: 3), step => step.Contains("ux_incident_event"));
        var duplicate = Assert.Throws<SqliteException>(() => Rows(
            "INSERT INTO incident_event (incident_id, seq, event_id, kind, at, status, priority, tier, state, alert_count, text) "
            + "VALUES (1, 3, x'00', 'noted', 0, 'open', 'P3', '', 'OK', 1, '') RETURNING seq"));
        Assert.Contains("UNIQUE", duplicate.Message);
    }

    [Fact]
    public async Task The_timeline_reads_back_each_entry_as_the_decision_wrote_it_beside_its_event()
    {
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath });

        // Maintenance starting is a timeline note whose event says more (maintenance_started); a recovery resolves.
        var plans = new[]
        {
            Plans.Decide(Decider, Records.Service(NotificationType.Problem, host: "web01", timeT: Records.T0)),
            Plans.Decide(Decider, Records.Service(NotificationType.DowntimeStart, host: "web01", timeT: Records.T0 + 1)),
            Plans.Decide(Decider, Records.Service(NotificationType.Recovery, host: "web01", state: AlertState.Ok, timeT: Records.T0 + 2)),
        };
        foreach (var plan in plans)
        {
            await store.CommitAsync(plan, default);
        }

        var detail = (await store.GetAsync(1, default))!;
        var planned = plans.SelectMany(p => p.Timeline).ToList();
        Assert.Equal(planned.Select(t => (t.Seq, t.At, t.Kind, t.EventId, t.Text)), detail.Timeline.Select(t => (t.Seq, t.At, t.Kind, t.EventId, t.Text)));
        Assert.Equal(plans.SelectMany(p => p.IncidentEvents).Select(e => (e.Seq, e.Kind)), detail.Events.Select(e => (e.Seq, e.Kind)));
        Assert.Contains(detail.Events, e => e.Kind == Incidents.IncidentEventKind.MaintenanceStarted);
        Assert.Contains(detail.Timeline, t => t.Kind == Incidents.TimelineKind.Note);
    }
}
