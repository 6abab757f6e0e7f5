using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// The one table both stores make their incident SQL and row mapping from: the values are written and read in the
/// order, and of the type, its rows say, and a row read back is the incident written.
/// </summary>
public sealed class IncidentColumnsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 4, 0, 0, TimeSpan.Zero);

    private static readonly IncidentRecord Incident = new()
    {
        Id = 42, Instance = "nagios-a", Host = "core-rtr-1", Service = "BGP", Customer = "acme", Title = "BGP CRITICAL", Description = "peer down",
        Status = IncidentStatus.Acknowledged, Priority = Priority.P2, State = AlertState.Critical, WorstState = AlertState.Critical,
        LastOutput = "peer 10.0.0.2 down", ProblemId = "981", AlertCount = 7, OpenedAt = At, LastSeenAt = At.AddMinutes(3),
        AcknowledgedAt = At.AddMinutes(2), AcknowledgedBy = "alice", AcknowledgementComment = "on it", ResolvedAt = null, ClosedAt = null,
        ReopenCount = 1, UpdatedAt = At.AddMinutes(4), TimelineCount = 5, Category = "network", Team = "noc", Tier = "L2", Flapping = true,
        FlapCount = 2, FlapQuietUntil = At.AddMinutes(9), InMaintenance = true, CorrelationRule = "host-down", CorrelationKey = "core-rtr-1",
        MergedInto = 41, Sla = new IncidentSla("business", At, At.AddMinutes(15), At.AddHours(4), true, false, At.AddMinutes(5), 1),
    };

    [Fact]
    public void A_record_is_written_column_by_column_with_each_columns_type()
    {
        var row = new Row();
        IncidentColumns.Write(Incident, ref row);

        Assert.Equal(IncidentColumns.All.Select(c => c.Type), row.Types);
        Assert.Equal(IncidentColumns.All.Count, IncidentColumns.List.Split(", ").Length);
        Assert.Equal(IncidentColumns.All.Count, IncidentColumns.All.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void A_change_writes_the_id_then_exactly_the_changing_columns_with_the_values_the_record_has_there()
    {
        var whole = new Row();
        IncidentColumns.Write(Incident, ref whole);
        var change = new Row();
        IncidentColumns.WriteChange(Incident.ToChange(), ref change);

        var changing = IncidentColumns.All.Select((c, i) => (c, i)).Where(x => x.c.Role == ColumnRole.Changing).Select(x => x.i).ToList();
        Assert.Equal([ColumnType.Int64, .. IncidentColumns.Changing.Select(c => c.Type)], change.Types);
        Assert.Equal([whole.Values[0], .. changing.Select(i => whole.Values[i])], change.Values);
        Assert.DoesNotContain(IncidentColumns.Changing, c => c.Name is "alert_count" or "last_seen_at" or "description" or "id");
    }

    [Fact]
    public void A_row_read_back_is_the_incident_written()
    {
        var written = new Row();
        IncidentColumns.Write(Incident, ref written);
        var read = new Row(written.Values);

        Assert.Equal(Incident, IncidentColumns.Read(ref read));
        Assert.Equal(written.Values.Count, read.Next);
    }

    [Fact]
    public void Empty_instants_and_ids_read_back_empty()
    {
        var bare = Incident with { AcknowledgedAt = null, MergedInto = null, FlapQuietUntil = null, Sla = IncidentSla.None };
        var written = new Row();
        IncidentColumns.Write(bare, ref written);
        var read = new Row(written.Values);

        Assert.Equal(bare, IncidentColumns.Read(ref read));
    }

    /// <summary>A row in memory: records what is written, gives it back in order.</summary>
    private struct Row(List<object?> values) : IColumnWriter, IColumnReader
    {
        public Row()
            : this([])
        {
        }

        public List<object?> Values { get; } = values;

        public List<ColumnType> Types { get; } = [];

        public int Next { get; private set; }

        public void Text(string value) => Add(ColumnType.Text, value);

        public void Int64(long value) => Add(ColumnType.Int64, value);

        public void Int32(int value) => Add(ColumnType.Int32, value);

        public void Flag(bool value) => Add(ColumnType.Flag, value);

        public void Instant(DateTimeOffset value) => Add(ColumnType.Instant, value);

        public void InstantOrNull(DateTimeOffset? value) => Add(ColumnType.InstantOrNull, value);

        public void Int64OrNull(long? value) => Add(ColumnType.Int64OrNull, value);

        string IColumnReader.Text() => (string)Take()!;

        long IColumnReader.Int64() => (long)Take()!;

        int IColumnReader.Int32() => (int)Take()!;

        bool IColumnReader.Flag() => (bool)Take()!;

        DateTimeOffset IColumnReader.Instant() => (DateTimeOffset)Take()!;

        DateTimeOffset? IColumnReader.InstantOrNull() => (DateTimeOffset?)Take();

        long? IColumnReader.Int64OrNull() => (long?)Take();

        private void Add(ColumnType type, object? value)
        {
            Types.Add(type);
            Values.Add(value);
        }

        private object? Take() => Values[Next++];
    }
}
