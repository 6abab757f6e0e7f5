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

    private const string InsertIncidentSql =
        "INSERT INTO incident (id, instance, host, service, customer, title, status, priority, state, worst_state, last_output, "
        + "problem_id, opened_at, acknowledged_at, acknowledged_by, acknowledgement_comment, resolved_at, closed_at, reopen_count, updated_at, "
        + "timeline_count, category, team, tier, flapping, flap_count, flap_quiet_until, in_maintenance, correlation_rule, correlation_key, merged_into, "
        + "sla_calendar, sla_started_at, response_due_at, resolution_due_at, response_breached, resolution_breached, sla_paused_at, escalations) "
        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, "
        + "?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40) "
        + "ON CONFLICT (id) DO NOTHING";

    private const string InsertDescriptionSql =
        "INSERT INTO incident_description (id, description) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING";

    private const string UpdateIncidentSql =
        "UPDATE incident SET status = ?2, priority = ?3, state = ?4, worst_state = ?5, last_output = ?6, acknowledged_at = ?7, "
        + "acknowledged_by = ?8, acknowledgement_comment = ?9, resolved_at = ?10, closed_at = ?11, reopen_count = ?12, updated_at = ?13, "
        + "timeline_count = ?14, flapping = ?15, flap_count = ?16, flap_quiet_until = ?17, in_maintenance = ?18, "
        + "tier = ?19, merged_into = ?20, sla_calendar = ?21, sla_started_at = ?22, response_due_at = ?23, resolution_due_at = ?24, "
        + "response_breached = ?25, resolution_breached = ?26, sla_paused_at = ?27, escalations = ?28 WHERE id = ?1";

    private const string UpsertMemberSql =
        "INSERT INTO incident_member (" + IncidentColumns.MemberList + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
        + "ON CONFLICT (incident_id, instance, host, service) DO UPDATE SET state = ?7, recovered = ?8, problem_id = ?9, alert_count = ?10, "
        + "last_seen_at = ?12, last_output = ?13";

    // Adds: instances counting on the same incident each add their batch's alerts (see IncidentChange.AlertsAdded).
    private const string UpdateCountersSql = "UPDATE incident_counter SET alert_count = alert_count + ?2, last_seen_at = MAX(last_seen_at, ?3) WHERE id = ?1";

    private const string InsertCountersSql =
        "INSERT INTO incident_counter (id, alert_count, last_seen_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET alert_count = ?2, last_seen_at = ?3";

    private const string InsertTimelineSql =
        "INSERT INTO timeline (incident_id, seq, at, kind, event_id, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";

    private const string InsertIncidentEventSql =
        "INSERT INTO incident_event (incident_id, seq, event_id, kind, at, cause, status, priority, tier, state, alert_count, merged_into, text) "
        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT DO NOTHING";

    public RawStatement InsertEvent { get; } = new(writer, InsertEventSql);

    public RawStatement UpsertMember { get; } = new(writer, UpsertMemberSql);

    public RawStatement InsertIncident { get; } = new(writer, InsertIncidentSql);

    public RawStatement InsertCounters { get; } = new(writer, InsertCountersSql);

    public RawStatement InsertDescription { get; } = new(writer, InsertDescriptionSql);

    public RawStatement UpdateIncident { get; } = new(writer, UpdateIncidentSql);

    public RawStatement UpdateCounters { get; } = new(writer, UpdateCountersSql);

    public RawStatement InsertTimeline { get; } = new(writer, InsertTimelineSql);

    public RawStatement InsertIncidentEvent { get; } = new(writer, InsertIncidentEventSql);

    public void Dispose()
    {
        foreach (var statement in new[] { InsertEvent, UpsertMember, InsertIncident, InsertCounters, InsertDescription, UpdateIncident, UpdateCounters, InsertTimeline, InsertIncidentEvent })
        {
            statement.Dispose();
        }
    }
}
