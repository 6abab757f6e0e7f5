using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// The timeline and the outbox are written in commit order (each commit's rows at the end of the table, not among
/// their incident's older rows), and are read by incident through their indexes: what a state change costs the store
/// does not grow with the number of incidents, and every reader still finds an incident's rows in sequence.
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
        Assert.Equal(written, Rows("SELECT incident_id || ':' || seq FROM timeline ORDER BY rowid"));

        var detail = (await store.GetAsync(1, default))!;
        Assert.Equal([1, 2, 3], detail.Timeline.Select(t => t.Seq));
        Assert.Equal([1, 2, 3], detail.Events.Select(e => e.Seq));
        Assert.Equal(AlertState.Critical, detail.Events[^1].State);

        // The indexes by incident are what those reads use, and they refuse a second row for one (incident, seq).
        Assert.Contains("ux_incident_event", Rows("EXPLAIN QUERY PLAN SELECT * FROM incident_event WHERE incident_id = 1 ORDER BY seq", column: 3).Single());
        Assert.Contains("ux_timeline", Rows("EXPLAIN QUERY PLAN SELECT * FROM timeline WHERE incident_id = 1 ORDER BY seq", column: 3).Single());
        var duplicate = Assert.Throws<SqliteException>(() => Rows("INSERT INTO timeline (incident_id, seq, at, kind, text) VALUES (1, 3, 0, 'note', '') RETURNING seq"));
        Assert.Contains("UNIQUE", duplicate.Message);
    }
}
