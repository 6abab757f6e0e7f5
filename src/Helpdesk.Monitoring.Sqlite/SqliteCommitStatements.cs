using Helpdesk.Monitoring.Incidents;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// Every statement a commit runs, in one place: prepared once, together, on the writer connection (a commit binds and
/// runs them; it never parses SQL), and finalized together.
/// </summary>
internal sealed class SqliteCommitStatements(SqliteConnection writer) : IDisposable
{
    private const string InsertEventSql =
        "INSERT INTO applied_event (event_id, incident_id, outcome, applied_at, event_ms) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";

    // An incident's columns bind as ?1 .. ?n in IncidentColumns order; this table leaves out the counters (their own
    // table, added to rather than overwritten) and the description (its own table, read only by the detail view).
    private static readonly string InsertIncidentSql =
        $"INSERT INTO incident ({string.Join(", ", InIncidentTable.Select(c => c.Column.Name))}) "
        + $"VALUES ({string.Join(", ", InIncidentTable.Select(c => $"?{c.Index + 1}"))}) ON CONFLICT (id) DO NOTHING";

    private const string InsertDescriptionSql =
        "INSERT INTO incident_description (id, description) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING";

    // The id binds as ?1, the changing columns as ?2 .. in IncidentColumns.Changing order.
    private static readonly string UpdateIncidentSql =
        $"UPDATE incident SET {string.Join(", ", IncidentColumns.Changing.Select((c, k) => $"{c.Name} = ?{k + 2}"))} WHERE id = ?1";

    // The same, leaving out the status and the closed time when the change keeps them (most updates: a new state or
    // output). SQLite rewrites every index over a column named in SET, even to the value it had: three indexes here
    // (the one open incident per identity, by status, closed), which made an update about twice as dear. Parameters
    // keep their numbers, so one binding serves both.
    private static readonly string UpdateIncidentKeepingStatusSql =
        $"UPDATE incident SET {string.Join(", ", IncidentColumns.Changing.Select((c, k) => (c.Name, Parameter: k + 2)).Where(c => c.Name is not ("status" or "closed_at")).Select(c => $"{c.Name} = ?{c.Parameter}"))} WHERE id = ?1";

    private const string UpsertMemberSql =
        "INSERT INTO incident_member (" + SqliteRows.MemberList + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
        + "ON CONFLICT (incident_id, instance, host, service) DO UPDATE SET state = ?7, recovered = ?8, problem_id = ?9, alert_count = ?10, "
        + "last_seen_at = ?12, last_output = ?13";

    // Adds, folded into incident_counter later: what one batch added to one incident (see IncidentChange.AlertsAdded).
    private const string InsertDeltaSql = "INSERT INTO counter_delta (incident_id, added, last_seen_at) VALUES (?1, ?2, ?3)";

    private const string InsertCountersSql =
        "INSERT INTO incident_counter (id, alert_count, last_seen_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET alert_count = ?2, last_seen_at = ?3";

    // The event is also the timeline entry (the timeline is a view over it): ?14 is the entry's kind.
    private const string InsertIncidentEventSql =
        "INSERT INTO incident_event (incident_id, seq, event_id, kind, at, cause, status, priority, tier, state, alert_count, merged_into, text, timeline_kind) "
        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT DO NOTHING";

    private static IEnumerable<(IncidentColumn Column, int Index)> InIncidentTable =>
        IncidentColumns.All.Select((c, i) => (c, i)).Where(c => c.c.Role is ColumnRole.Identity or ColumnRole.Changing);

    private const string InsertDeliverySql =
        "INSERT INTO delivery (channel, event_id, incident_id, seq, state, foldable, attempts, queued_at, next_at, last_error) "
        + "VALUES (?1, ?2, ?3, ?4, 'pending', ?5, 0, ?6, ?7, '') ON CONFLICT DO NOTHING";

    // A start is written as it stands (a plan written twice writes the same row); an end removes the row.
    private const string StartDowntimeSql =
        "INSERT INTO scheduled_downtime (instance, host, service, since) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET since = ?4";

    private const string EndDowntimeSql = "DELETE FROM scheduled_downtime WHERE instance = ?1 AND host = ?2 AND service = ?3";

    private const string HoldRecoverySql =
        "INSERT INTO early_recovery (instance, host, service, reported_at, problem_id, output, state, event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        + "ON CONFLICT DO UPDATE SET reported_at = ?4, problem_id = ?5, output = ?6, state = ?7, event_id = ?8";

    private const string LetGoRecoverySql = "DELETE FROM early_recovery WHERE instance = ?1 AND host = ?2 AND service = ?3";

    public RawStatement InsertEvent { get; } = new(writer, InsertEventSql);

    public RawStatement HoldRecovery { get; } = new(writer, HoldRecoverySql);

    public RawStatement LetGoRecovery { get; } = new(writer, LetGoRecoverySql);

    public RawStatement StartDowntime { get; } = new(writer, StartDowntimeSql);

    public RawStatement EndDowntime { get; } = new(writer, EndDowntimeSql);

    public RawStatement InsertDelivery { get; } = new(writer, InsertDeliverySql);

    public RawStatement UpsertMember { get; } = new(writer, UpsertMemberSql);

    public RawStatement InsertIncident { get; } = new(writer, InsertIncidentSql);

    public RawStatement InsertCounters { get; } = new(writer, InsertCountersSql);

    public RawStatement InsertDescription { get; } = new(writer, InsertDescriptionSql);

    public RawStatement UpdateIncident { get; } = new(writer, UpdateIncidentSql);

    public RawStatement UpdateIncidentKeepingStatus { get; } = new(writer, UpdateIncidentKeepingStatusSql);

    public RawStatement InsertDelta { get; } = new(writer, InsertDeltaSql);

    public RawStatement InsertIncidentEvent { get; } = new(writer, InsertIncidentEventSql);

    public void Dispose()
    {
        foreach (var statement in new[] { InsertEvent, InsertDelivery, UpsertMember, InsertIncident, InsertCounters, InsertDescription, UpdateIncident, UpdateIncidentKeepingStatus, InsertDelta, InsertIncidentEvent, StartDowntime, EndDowntime, HoldRecovery, LetGoRecovery })
        {
            statement.Dispose();
        }
    }
}
