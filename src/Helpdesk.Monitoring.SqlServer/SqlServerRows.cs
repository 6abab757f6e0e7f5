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
    public const string MemberColumns =
        "incident_id, instance, host, service, rule_name, correlation_key, state, recovered, problem_id, alert_count, joined_at, last_seen_at, last_output, customer";

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
        var table = Columns(IncidentColumns.All.Select(c => (c.Name, TypeOf(c.Type))).ToArray());
        var values = new object[IncidentColumns.All.Count];
        foreach (var i in incidents)
        {
            var row = new TableRow(values);
            IncidentColumns.Write(i, ref row);
            table.Rows.Add(values);
        }

        return table;
    }

    public static DataTable Members(IEnumerable<AlertMember> members)
    {
        var table = Columns(("incident_id", typeof(long)), ("member_key", typeof(byte[])), ("instance", typeof(string)), ("host", typeof(string)),
            ("service", typeof(string)), ("rule_name", typeof(string)), ("correlation_key", typeof(string)), ("state", typeof(string)),
            ("recovered", typeof(bool)), ("problem_id", typeof(string)), ("alert_count", typeof(long)), ("joined_at", typeof(long)),
            ("last_seen_at", typeof(long)), ("last_output", typeof(string)), ("customer", typeof(string)));
        foreach (var m in members)
        {
            table.Rows.Add(m.IncidentId, MemberKey(m), m.Instance, m.Host, m.Service, m.Rule, m.Key, NagiosNames.Of(m.State), m.Recovered,
                m.ProblemId, m.AlertCount, Ms(m.JoinedAt), Ms(m.LastSeenAt), m.LastOutput, m.Customer);
        }

        return table;
    }

    /// <summary>Downtime starts (with their time) and ends (without), keyed as members are.</summary>
    public static DataTable Downtimes(IEnumerable<ScheduledDowntime> downtimes)
    {
        var table = Columns(("object_key", typeof(byte[])), ("instance", typeof(string)), ("host", typeof(string)), ("service", typeof(string)),
            ("since", typeof(long)));
        foreach (var d in downtimes)
        {
            table.Rows.Add(IdentityKey(d.Instance, d.Host, d.Service), d.Instance, d.Host, d.Service, d.Since is { } since ? Ms(since) : DBNull.Value);
        }

        return table;
    }

    /// <summary>Early recoveries held (with their fields) and let go (names only), keyed as members are.</summary>
    public static DataTable EarlyRecoveries(CommitPlan plan)
    {
        var table = Columns(("object_key", typeof(byte[])), ("held", typeof(bool)), ("instance", typeof(string)), ("host", typeof(string)),
            ("service", typeof(string)), ("reported_at", typeof(long)), ("problem_id", typeof(string)), ("output", typeof(string)), ("state", typeof(string)),
            ("event_id", typeof(byte[])));
        foreach (var r in plan.HeldRecoveries)
        {
            table.Rows.Add(IdentityKey(r.Instance, r.Host, r.Service), true, r.Instance, r.Host, r.Service, r.TimeT, r.ProblemId, r.Output,
                NagiosNames.Of(r.State), r.EventId.ToByteArray(bigEndian: true));
        }

        foreach (var (instance, host, service) in plan.LetGoRecoveries)
        {
            table.Rows.Add(IdentityKey(instance, host, service), false, instance, host, service, 0L, "", "", "", new byte[16]);
        }

        return table;
    }

    public static ScheduledDowntime ReadDowntime(SqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)));

    public static EarlyRecovery ReadEarlyRecovery(SqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4),
        r.GetString(5), NagiosNames.ParseState(r.GetString(6)), new Guid((byte[])r[7], bigEndian: true));

    public static DataTable Deliveries(IEnumerable<Delivery> deliveries)
    {
        var table = Columns(("channel", typeof(string)), ("event_id", typeof(byte[])), ("incident_id", typeof(long)), ("seq", typeof(int)),
            ("foldable", typeof(bool)), ("queued_at", typeof(long)), ("next_at", typeof(long)));
        foreach (var d in deliveries)
        {
            table.Rows.Add(d.Channel, Id(d.EventId), d.IncidentId, d.Seq, d.Foldable, Ms(d.QueuedAt), Ms(d.DueAt));
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

    /// <summary>An incident selected with <see cref="IncidentColumns.List"/>.</summary>
    public static IncidentRecord ReadIncident(SqlDataReader reader)
    {
        var row = new ReaderRow(reader);
        return IncidentColumns.Read(ref row);
    }

    public static AlertMember ReadMember(SqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), NagiosNames.ParseState(r.GetString(6)),
        r.GetBoolean(7), r.GetString(8), r.GetInt64(9), At(r.GetInt64(10)), At(r.GetInt64(11)), r.GetString(12))
    {
        Customer = r.GetString(13),
    };

    public static TimelineEntry ReadTimeline(SqlDataReader r) => new(
        r.GetInt64(0), r.GetInt32(1), At(r.GetInt64(2)), TimelineKindNames.Parse(r.GetString(3)), r.IsDBNull(4) ? null : new Guid((byte[])r[4], bigEndian: true), r.GetString(5));

    public static byte[] Id(Guid id) => id.ToByteArray(bigEndian: true);

    private static byte[] MemberKey(AlertMember m) => IdentityKey(m.Instance, m.Host, m.Service);

    private static byte[] IdentityKey(string instance, string host, string service) => SHA256.HashData(Encoding.UTF8.GetBytes($"{instance}\u001f{host}\u001f{service}"));

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static object MsOrNull(DateTimeOffset? at) => at is { } a ? a.ToUnixTimeMilliseconds() : DBNull.Value;

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    // Instants are Unix milliseconds (bigint), flags bit: as the migrations declare the columns.
    private static Type TypeOf(ColumnType type) => type switch
    {
        ColumnType.Flag => typeof(bool),
        ColumnType.Int32 => typeof(int),
        ColumnType.Text => typeof(string),
        _ => typeof(long),
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

    /// <summary>Fills a table row's values in column order.</summary>
    private struct TableRow(object[] values) : IColumnWriter
    {
        private int _next;

        public void Text(string value) => values[_next++] = value;

        public void Int64(long value) => values[_next++] = value;

        public void Int32(int value) => values[_next++] = value;

        public void Flag(bool value) => values[_next++] = value;

        public void Instant(DateTimeOffset value) => values[_next++] = Ms(value);

        public void InstantOrNull(DateTimeOffset? value) => values[_next++] = MsOrNull(value);

        public void Int64OrNull(long? value) => values[_next++] = value is { } v ? v : DBNull.Value;
    }

    /// <summary>Reads the columns of the current row one after another.</summary>
    private struct ReaderRow(SqlDataReader reader) : IColumnReader
    {
        private int _next;

        public string Text() => reader.GetString(_next++);

        public long Int64() => reader.GetInt64(_next++);

        public int Int32() => reader.GetInt32(_next++);

        public bool Flag() => reader.GetBoolean(_next++);

        public DateTimeOffset Instant() => At(reader.GetInt64(_next++));

        public DateTimeOffset? InstantOrNull() => reader.IsDBNull(_next++) ? null : At(reader.GetInt64(_next - 1));

        public long? Int64OrNull() => reader.IsDBNull(_next++) ? null : reader.GetInt64(_next - 1);
    }
}
