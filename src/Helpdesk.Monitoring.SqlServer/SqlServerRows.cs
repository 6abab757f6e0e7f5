using System.Data;
using System.Security.Cryptography;
using System.Text;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

/// <summary>Rows as the SQL Server store writes (table-valued parameters) and reads them; enum words from <see cref="IncidentNames"/>.</summary>
internal static class SqlServerRows
{
    public const string IncidentColumns =
        "id, instance, host, service, customer, title, description, status, priority, state, worst_state, last_output, problem_id, alert_count, "
        + "opened_at, last_seen_at, acknowledged_at, acknowledged_by, acknowledgement_comment, resolved_at, closed_at, reopen_count, updated_at, "
        + "timeline_count, category, team, tier, flapping, flap_count, flap_quiet_until, in_maintenance, correlation_rule, correlation_key, "
        + "merged_into, sla_calendar, sla_started_at, response_due_at, resolution_due_at, response_breached, resolution_breached, sla_paused_at, escalations";

    public const string MemberColumns =
        "incident_id, instance, host, service, rule_name, correlation_key, state, recovered, problem_id, alert_count, joined_at, last_seen_at, last_output";

    public static SqlParameter Table(string name, string type, DataTable rows) =>
        new(name, SqlDbType.Structured) { TypeName = type, Value = rows };

    public static DataTable Events(IEnumerable<AppliedEvent> events)
    {
        var table = Columns(("event_id", typeof(byte[])), ("incident_id", typeof(long)), ("outcome", typeof(string)), ("applied_at", typeof(long)), ("event_ms", typeof(long)));
        foreach (var e in events)
        {
            table.Rows.Add(Id(e.EventId), e.IncidentId, IncidentNames.Of(e.Outcome), e.At.ToUnixTimeMilliseconds(),
                SeenEvents.TryGetUnixMs(e.EventId, out var ms) ? ms : DBNull.Value);
        }

        return table;
    }

    public static DataTable EventIds(IEnumerable<Guid> ids)
    {
        var table = Columns(("event_id", typeof(byte[])));
        foreach (var id in ids.Distinct())
        {
            table.Rows.Add(Id(id));
        }

        return table;
    }

    /// <summary>Repeats: alert_count carries the alerts the batch added (the commit adds them to the stored count).</summary>
    public static DataTable Counters(IEnumerable<CounterChange> counters)
    {
        var table = Columns(("id", typeof(long)), ("alert_count", typeof(long)), ("last_seen_at", typeof(long)));
        foreach (var c in counters)
        {
            table.Rows.Add(c.Id, c.AlertsAdded, c.LastSeenAt.ToUnixTimeMilliseconds());
        }

        return table;
    }

    /// <summary>Whole incidents: the inserts, and (with their stored identity) the updates.</summary>
    public static DataTable Incidents(IEnumerable<IncidentRecord> incidents)
    {
        var table = Columns(IncidentColumns.Split(", ").Select(c => (c, TypeOf(c))).ToArray());
        foreach (var i in incidents)
        {
            table.Rows.Add(
                i.Id, i.Instance, i.Host, i.Service, i.Customer, i.Title, i.Description, IncidentNames.Of(i.Status), IncidentNames.Of(i.Priority), NagiosNames.Of(i.State),
                NagiosNames.Of(i.WorstState), i.LastOutput, i.ProblemId, i.AlertCount, Ms(i.OpenedAt), Ms(i.LastSeenAt), MsOrNull(i.AcknowledgedAt),
                i.AcknowledgedBy, i.AcknowledgementComment, MsOrNull(i.ResolvedAt), MsOrNull(i.ClosedAt), i.ReopenCount, Ms(i.UpdatedAt),
                i.TimelineCount, i.Category, i.Team, i.Tier, i.Flapping, i.FlapCount, MsOrNull(i.FlapQuietUntil), i.InMaintenance,
                i.CorrelationRule, i.CorrelationKey, (object?)i.MergedInto ?? DBNull.Value, i.Sla.Calendar, MsOrNull(i.Sla.StartedAt),
                MsOrNull(i.Sla.ResponseDueAt), MsOrNull(i.Sla.ResolutionDueAt), i.Sla.ResponseBreached, i.Sla.ResolutionBreached,
                MsOrNull(i.Sla.PausedAt), i.Sla.Escalations);
        }

        return table;
    }

    public static DataTable Members(IEnumerable<AlertMember> members)
    {
        var table = Columns(("incident_id", typeof(long)), ("member_key", typeof(byte[])), ("instance", typeof(string)), ("host", typeof(string)),
            ("service", typeof(string)), ("rule_name", typeof(string)), ("correlation_key", typeof(string)), ("state", typeof(string)),
            ("recovered", typeof(bool)), ("problem_id", typeof(string)), ("alert_count", typeof(long)), ("joined_at", typeof(long)),
            ("last_seen_at", typeof(long)), ("last_output", typeof(string)));
        foreach (var m in members)
        {
            table.Rows.Add(m.IncidentId, MemberKey(m), m.Instance, m.Host, m.Service, m.Rule, m.Key, NagiosNames.Of(m.State), m.Recovered,
                m.ProblemId, m.AlertCount, Ms(m.JoinedAt), Ms(m.LastSeenAt), m.LastOutput);
        }

        return table;
    }

    public static DataTable Timeline(IEnumerable<TimelineEntry> entries)
    {
        var table = Columns(("incident_id", typeof(long)), ("seq", typeof(int)), ("at", typeof(long)), ("kind", typeof(string)),
            ("event_id", typeof(byte[])), ("text", typeof(string)));
        foreach (var e in entries)
        {
            table.Rows.Add(e.IncidentId, e.Seq, Ms(e.At), TimelineKindNames.Of(e.Kind), e.EventId is { } id ? Id(id) : DBNull.Value, e.Text);
        }

        return table;
    }

    public static DataTable IncidentEvents(IEnumerable<IncidentEvent> events)
    {
        var table = Columns(("incident_id", typeof(long)), ("seq", typeof(int)), ("event_id", typeof(byte[])), ("kind", typeof(string)),
            ("at", typeof(long)), ("cause", typeof(byte[])), ("status", typeof(string)), ("priority", typeof(string)), ("tier", typeof(string)),
            ("state", typeof(string)), ("alert_count", typeof(long)), ("merged_into", typeof(long)), ("text", typeof(string)));
        foreach (var e in events)
        {
            table.Rows.Add(e.IncidentId, e.Seq, Id(e.Id), IncidentEventKindNames.Of(e.Kind), Ms(e.At), e.Cause is { } cause ? Id(cause) : DBNull.Value,
                IncidentNames.Of(e.Status), IncidentNames.Of(e.Priority), e.Tier, NagiosNames.Of(e.State), e.AlertCount,
                e.MergedInto is { } into ? into : DBNull.Value, e.Text);
        }

        return table;
    }

    public static IncidentEvent ReadIncidentEvent(SqlDataReader r) => new(
        new Guid((byte[])r[2], bigEndian: true), IncidentEventKindNames.Parse(r.GetString(3)), At(r.GetInt64(4)),
        r.GetInt64(0), r.GetInt32(1), r.IsDBNull(5) ? null : new Guid((byte[])r[5], bigEndian: true), IncidentNames.ParseStatus(r.GetString(6)),
        IncidentNames.ParsePriority(r.GetString(7)), r.GetString(8), NagiosNames.ParseState(r.GetString(9)), r.GetInt64(10),
        r.IsDBNull(11) ? null : r.GetInt64(11), r.GetString(12));

    public static IncidentRecord ReadIncident(SqlDataReader r) => new()
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
        OpenedAt = At(r.GetInt64(14)),
        LastSeenAt = At(r.GetInt64(15)),
        AcknowledgedAt = AtOrNull(r, 16),
        AcknowledgedBy = r.GetString(17),
        AcknowledgementComment = r.GetString(18),
        ResolvedAt = AtOrNull(r, 19),
        ClosedAt = AtOrNull(r, 20),
        ReopenCount = r.GetInt32(21),
        UpdatedAt = At(r.GetInt64(22)),
        TimelineCount = r.GetInt32(23),
        Category = r.GetString(24),
        Team = r.GetString(25),
        Tier = r.GetString(26),
        Flapping = r.GetBoolean(27),
        FlapCount = r.GetInt32(28),
        FlapQuietUntil = AtOrNull(r, 29),
        InMaintenance = r.GetBoolean(30),
        CorrelationRule = r.GetString(31),
        CorrelationKey = r.GetString(32),
        MergedInto = r.IsDBNull(33) ? null : r.GetInt64(33),
        Sla = new IncidentSla(r.GetString(34), AtOrNull(r, 35), AtOrNull(r, 36), AtOrNull(r, 37), r.GetBoolean(38), r.GetBoolean(39), AtOrNull(r, 40), r.GetInt32(41)),
    };

    public static AlertMember ReadMember(SqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), NagiosNames.ParseState(r.GetString(6)),
        r.GetBoolean(7), r.GetString(8), r.GetInt64(9), At(r.GetInt64(10)), At(r.GetInt64(11)), r.GetString(12));

    public static TimelineEntry ReadTimeline(SqlDataReader r) => new(
        r.GetInt64(0), r.GetInt32(1), At(r.GetInt64(2)), TimelineKindNames.Parse(r.GetString(3)), r.IsDBNull(4) ? null : new Guid((byte[])r[4], bigEndian: true), r.GetString(5));

    public static byte[] Id(Guid id) => id.ToByteArray(bigEndian: true);

    private static byte[] MemberKey(AlertMember m) => SHA256.HashData(Encoding.UTF8.GetBytes($"{m.Instance}\u001f{m.Host}\u001f{m.Service}"));

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static object MsOrNull(DateTimeOffset? at) => at is { } a ? a.ToUnixTimeMilliseconds() : DBNull.Value;

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? AtOrNull(SqlDataReader r, int i) => r.IsDBNull(i) ? null : At(r.GetInt64(i));

    private static Type TypeOf(string column) => column switch
    {
        "flapping" or "in_maintenance" or "response_breached" or "resolution_breached" => typeof(bool),
        "reopen_count" or "timeline_count" or "flap_count" or "escalations" => typeof(int),
        "id" or "alert_count" or "opened_at" or "last_seen_at" or "acknowledged_at" or "resolved_at" or "closed_at" or "updated_at"
            or "flap_quiet_until" or "merged_into" or "sla_started_at" or "response_due_at" or "resolution_due_at" or "sla_paused_at" => typeof(long),
        _ => typeof(string),
    };

    private static DataTable Columns(params (string Name, Type Type)[] columns)
    {
        var table = new DataTable();
        foreach (var (name, type) in columns)
        {
            table.Columns.Add(name, type);
        }

        return table;
    }
}
