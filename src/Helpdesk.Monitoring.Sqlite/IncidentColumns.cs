using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>The incident table's columns, in one order for reading and writing.</summary>
internal static class IncidentColumns
{
    /// <summary>The columns of the <c>incident_row</c> view (incident joined with its counters), in reading order.</summary>
    public const string List =
        "id, instance, host, service, customer, title, description, status, priority, state, worst_state, last_output, problem_id, alert_count, "
        + "opened_at, last_seen_at, acknowledged_at, acknowledged_by, acknowledgement_comment, resolved_at, closed_at, reopen_count, updated_at, timeline_count, category, team, tier, flapping, flap_count, flap_quiet_until, in_maintenance, "
        + "correlation_rule, correlation_key, merged_into, sla_calendar, sla_started_at, response_due_at, resolution_due_at, response_breached, "
        + "resolution_breached, sla_paused_at, escalations";

    public const string MemberList =
        "incident_id, instance, host, service, rule, correlation_key, state, recovered, problem_id, alert_count, joined_at, last_seen_at, last_output";

    public static IncidentRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Instance = r.GetString(1),
        Host = r.GetString(2),
        Service = r.GetString(3),
        Customer = r.GetString(4),
        Title = r.GetString(5),
        Description = r.GetString(6),
        Status = IncidentNames.ParseStatus(r.GetString(7)),
        Priority = IncidentNames.ParsePriority(r.GetString(8)),
        State = NagiosNames.ParseState(r.GetString(9)),
        WorstState = NagiosNames.ParseState(r.GetString(10)),
        LastOutput = r.GetString(11),
        ProblemId = r.GetString(12),
        AlertCount = r.GetInt64(13),
        OpenedAt = ColumnText.At(r.GetInt64(14)),
        LastSeenAt = ColumnText.At(r.GetInt64(15)),
        AcknowledgedAt = r.IsDBNull(16) ? null : ColumnText.At(r.GetInt64(16)),
        AcknowledgedBy = r.GetString(17),
        AcknowledgementComment = r.GetString(18),
        ResolvedAt = r.IsDBNull(19) ? null : ColumnText.At(r.GetInt64(19)),
        ClosedAt = r.IsDBNull(20) ? null : ColumnText.At(r.GetInt64(20)),
        ReopenCount = r.GetInt32(21),
        UpdatedAt = ColumnText.At(r.GetInt64(22)),
        TimelineCount = r.GetInt32(23),
        Category = r.GetString(24),
        Team = r.GetString(25),
        Tier = r.GetString(26),
        Flapping = r.GetInt64(27) != 0,
        FlapCount = r.GetInt32(28),
        FlapQuietUntil = r.IsDBNull(29) ? null : ColumnText.At(r.GetInt64(29)),
        InMaintenance = r.GetInt64(30) != 0,
        CorrelationRule = r.GetString(31),
        CorrelationKey = r.GetString(32),
        MergedInto = r.IsDBNull(33) ? null : r.GetInt64(33),
        Sla = new IncidentSla(r.GetString(34), AtOrNull(r, 35), AtOrNull(r, 36), AtOrNull(r, 37), r.GetInt64(38) != 0, r.GetInt64(39) != 0, AtOrNull(r, 40), r.GetInt32(41)),
    };

    public static AlertMember ReadMember(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), NagiosNames.ParseState(r.GetString(6)),
        r.GetInt64(7) != 0, r.GetString(8), r.GetInt64(9), ColumnText.At(r.GetInt64(10)), ColumnText.At(r.GetInt64(11)), r.GetString(12));

    private static DateTimeOffset? AtOrNull(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : ColumnText.At(r.GetInt64(i));
}
