using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// Rows as SQLite holds them: an incident's columns come from <see cref="IncidentColumns"/> (instants as Unix
/// milliseconds, flags as 0 or 1), the members' are listed here.
/// </summary>
internal static class SqliteRows
{
    public const string MemberList =
        "incident_id, instance, host, service, rule, correlation_key, state, recovered, problem_id, alert_count, joined_at, last_seen_at, last_output, customer";

    /// <summary>An incident selected with <see cref="IncidentColumns.List"/>.</summary>
    public static IncidentRecord Incident(SqliteDataReader reader)
    {
        var row = new ReaderRow(reader);
        return IncidentColumns.Read(ref row);
    }

    public static AlertMember Member(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), NagiosNames.ParseState(r.GetString(6)),
        r.GetInt64(7) != 0, r.GetString(8), r.GetInt64(9), ColumnText.At(r.GetInt64(10)), ColumnText.At(r.GetInt64(11)), r.GetString(12))
    {
        Customer = r.GetString(13),
    };

    public static ScheduledDowntime Downtime(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), ColumnText.At(r.GetInt64(3)));

    public static EarlyRecovery EarlyRecovery(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4),
        r.GetString(5), NagiosNames.ParseState(r.GetString(6)), ColumnText.Guid((byte[])r[7]));

    /// <summary>Reads the columns of the current row one after another.</summary>
    private struct ReaderRow(SqliteDataReader reader) : IColumnReader
    {
        private int _next;

        public string Text() => reader.GetString(_next++);

        public long Int64() => reader.GetInt64(_next++);

        public int Int32() => reader.GetInt32(_next++);

        public bool Flag() => reader.GetInt64(_next++) != 0;

        public DateTimeOffset Instant() => ColumnText.At(reader.GetInt64(_next++));

        public DateTimeOffset? InstantOrNull() => reader.IsDBNull(_next++) ? null : ColumnText.At(reader.GetInt64(_next - 1));

        public long? Int64OrNull() => reader.IsDBNull(_next++) ? null : reader.GetInt64(_next - 1);
    }
}

/// <summary>Binds a row's values to a statement's parameters ?1, ?2, ... in column order.</summary>
internal struct StatementRow(RawStatement statement) : IColumnWriter
{
    private int _next = 1;

    public void Text(string value) => statement.Bind(_next++, value);

    public void Int64(long value) => statement.Bind(_next++, value);

    public void Int32(int value) => statement.Bind(_next++, value);

    public void Flag(bool value) => statement.Bind(_next++, value ? 1 : 0);

    public void Instant(DateTimeOffset value) => statement.Bind(_next++, ColumnText.Ms(value));

    public void InstantOrNull(DateTimeOffset? value) => statement.Bind(_next++, ColumnText.MsOrNull(value));

    public void Int64OrNull(long? value) => statement.Bind(_next++, value);
}
