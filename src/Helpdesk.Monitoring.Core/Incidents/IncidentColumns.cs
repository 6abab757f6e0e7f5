using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// An incident's stored columns, in one order for both stores: their names, the SQL each store makes from them, the
/// order values are written (<see cref="Write{TWriter}"/>, <see cref="WriteChange{TWriter}"/>) and read
/// (<see cref="Read{TReader}"/>). A new column is a row here, a value in each of the three methods, and a migration
/// per store; the column lists, binds and row mappings of the stores follow from it.
/// </summary>
public static class IncidentColumns
{
    public static IReadOnlyList<IncidentColumn> All { get; } =
    [
        new("id", ColumnType.Int64, ColumnRole.Identity),
        new("instance", ColumnType.Text, ColumnRole.Identity),
        new("host", ColumnType.Text, ColumnRole.Identity),
        new("service", ColumnType.Text, ColumnRole.Identity),
        new("customer", ColumnType.Text, ColumnRole.Identity),
        new("title", ColumnType.Text, ColumnRole.Changing),
        new("description", ColumnType.Text, ColumnRole.Detail),
        new("status", ColumnType.Text, ColumnRole.Changing),
        new("priority", ColumnType.Text, ColumnRole.Changing),
        new("state", ColumnType.Text, ColumnRole.Changing),
        new("worst_state", ColumnType.Text, ColumnRole.Changing),
        new("last_output", ColumnType.Text, ColumnRole.Changing),
        new("problem_id", ColumnType.Text, ColumnRole.Identity),
        new("alert_count", ColumnType.Int64, ColumnRole.Counter),
        new("opened_at", ColumnType.Instant, ColumnRole.Identity),
        new("last_seen_at", ColumnType.Instant, ColumnRole.Counter),
        new("acknowledged_at", ColumnType.InstantOrNull, ColumnRole.Changing),
        new("acknowledged_by", ColumnType.Text, ColumnRole.Changing),
        new("acknowledgement_comment", ColumnType.Text, ColumnRole.Changing),
        new("resolved_at", ColumnType.InstantOrNull, ColumnRole.Changing),
        new("closed_at", ColumnType.InstantOrNull, ColumnRole.Changing),
        new("reopen_count", ColumnType.Int32, ColumnRole.Changing),
        new("updated_at", ColumnType.Instant, ColumnRole.Changing),
        new("timeline_count", ColumnType.Int32, ColumnRole.Changing),
        new("category", ColumnType.Text, ColumnRole.Identity),
        new("team", ColumnType.Text, ColumnRole.Identity),
        new("tier", ColumnType.Text, ColumnRole.Changing),
        new("flapping", ColumnType.Flag, ColumnRole.Changing),
        new("flap_count", ColumnType.Int32, ColumnRole.Changing),
        new("flap_quiet_until", ColumnType.InstantOrNull, ColumnRole.Changing),
        new("in_maintenance", ColumnType.Flag, ColumnRole.Changing),
        new("correlation_rule", ColumnType.Text, ColumnRole.Identity),
        new("correlation_key", ColumnType.Text, ColumnRole.Identity),
        new("merged_into", ColumnType.Int64OrNull, ColumnRole.Changing),
        new("sla_calendar", ColumnType.Text, ColumnRole.Changing),
        new("sla_started_at", ColumnType.InstantOrNull, ColumnRole.Changing),
        new("response_due_at", ColumnType.InstantOrNull, ColumnRole.Changing),
        new("resolution_due_at", ColumnType.InstantOrNull, ColumnRole.Changing),
        new("response_breached", ColumnType.Flag, ColumnRole.Changing),
        new("resolution_breached", ColumnType.Flag, ColumnRole.Changing),
        new("sla_paused_at", ColumnType.InstantOrNull, ColumnRole.Changing),
        new("escalations", ColumnType.Int32, ColumnRole.Changing),
        new("assigned_to", ColumnType.Text, ColumnRole.Changing),
        new("resolution_cause", ColumnType.Text, ColumnRole.Changing),
        new("resolution_fix", ColumnType.Text, ColumnRole.Changing),
    ];

    /// <summary>Every column's name, comma-separated, in <see cref="All"/>'s order: what a store selects and reads.</summary>
    public static string List { get; } = string.Join(", ", All.Select(c => c.Name));

    /// <summary>The columns an update writes (<see cref="WriteChange{TWriter}"/> writes the id, then these, in order).</summary>
    public static IReadOnlyList<IncidentColumn> Changing { get; } = [.. All.Where(c => c.Role == ColumnRole.Changing)];

    /// <summary>Writes every column's value, in <see cref="All"/>'s order.</summary>
    public static void Write<TWriter>(IncidentRecord i, ref TWriter w) where TWriter : IColumnWriter
    {
        w.Int64(i.Id);
        w.Text(i.Instance);
        w.Text(i.Host);
        w.Text(i.Service);
        w.Text(i.Customer);
        w.Text(i.Title);
        w.Text(i.Description);
        w.Text(IncidentNames.Of(i.Status));
        w.Text(IncidentNames.Of(i.Priority));
        w.Text(NagiosNames.Of(i.State));
        w.Text(NagiosNames.Of(i.WorstState));
        w.Text(i.LastOutput);
        w.Text(i.ProblemId);
        w.Int64(i.AlertCount);
        w.Instant(i.OpenedAt);
        w.Instant(i.LastSeenAt);
        w.InstantOrNull(i.AcknowledgedAt);
        w.Text(i.AcknowledgedBy);
        w.Text(i.AcknowledgementComment);
        w.InstantOrNull(i.ResolvedAt);
        w.InstantOrNull(i.ClosedAt);
        w.Int32(i.ReopenCount);
        w.Instant(i.UpdatedAt);
        w.Int32(i.TimelineCount);
        w.Text(i.Category);
        w.Text(i.Team);
        w.Text(i.Tier);
        w.Flag(i.Flapping);
        w.Int32(i.FlapCount);
        w.InstantOrNull(i.FlapQuietUntil);
        w.Flag(i.InMaintenance);
        w.Text(i.CorrelationRule);
        w.Text(i.CorrelationKey);
        w.Int64OrNull(i.MergedInto);
        WriteSla(i.Sla, ref w);
        w.Text(i.AssignedTo);
        w.Text(i.ResolutionCause);
        w.Text(i.ResolutionFix);
    }

    /// <summary>Writes the id, then the value of each of the <see cref="Changing"/> columns, in order.</summary>
    public static void WriteChange<TWriter>(IncidentChange c, ref TWriter w) where TWriter : IColumnWriter
    {
        w.Int64(c.Id);
        w.Text(c.Title);
        w.Text(IncidentNames.Of(c.Status));
        w.Text(IncidentNames.Of(c.Priority));
        w.Text(NagiosNames.Of(c.State));
        w.Text(NagiosNames.Of(c.WorstState));
        w.Text(c.LastOutput);
        w.InstantOrNull(c.AcknowledgedAt);
        w.Text(c.AcknowledgedBy);
        w.Text(c.AcknowledgementComment);
        w.InstantOrNull(c.ResolvedAt);
        w.InstantOrNull(c.ClosedAt);
        w.Int32(c.ReopenCount);
        w.Instant(c.UpdatedAt);
        w.Int32(c.TimelineCount);
        w.Text(c.Tier);
        w.Flag(c.Flapping);
        w.Int32(c.FlapCount);
        w.InstantOrNull(c.FlapQuietUntil);
        w.Flag(c.InMaintenance);
        w.Int64OrNull(c.MergedInto);
        WriteSla(c.Sla, ref w);
        w.Text(c.AssignedTo);
        w.Text(c.ResolutionCause);
        w.Text(c.ResolutionFix);
    }

    /// <summary>Reads a row selected with <see cref="List"/>.</summary>
    public static IncidentRecord Read<TReader>(ref TReader r) where TReader : IColumnReader => new()
    {
        // An object initializer assigns in the order written: each value is read in its column's turn.
        Id = r.Int64(),
        Instance = r.Text(),
        Host = r.Text(),
        Service = r.Text(),
        Customer = r.Text(),
        Title = r.Text(),
        Description = r.Text(),
        Status = IncidentNames.ParseStatus(r.Text()),
        Priority = IncidentNames.ParsePriority(r.Text()),
        State = NagiosNames.ParseState(r.Text()),
        WorstState = NagiosNames.ParseState(r.Text()),
        LastOutput = r.Text(),
        ProblemId = r.Text(),
        AlertCount = r.Int64(),
        OpenedAt = r.Instant(),
        LastSeenAt = r.Instant(),
        AcknowledgedAt = r.InstantOrNull(),
        AcknowledgedBy = r.Text(),
        AcknowledgementComment = r.Text(),
        ResolvedAt = r.InstantOrNull(),
        ClosedAt = r.InstantOrNull(),
        ReopenCount = r.Int32(),
        UpdatedAt = r.Instant(),
        TimelineCount = r.Int32(),
        Category = r.Text(),
        Team = r.Text(),
        Tier = r.Text(),
        Flapping = r.Flag(),
        FlapCount = r.Int32(),
        FlapQuietUntil = r.InstantOrNull(),
        InMaintenance = r.Flag(),
        CorrelationRule = r.Text(),
        CorrelationKey = r.Text(),
        MergedInto = r.Int64OrNull(),
        Sla = new IncidentSla(r.Text(), r.InstantOrNull(), r.InstantOrNull(), r.InstantOrNull(), r.Flag(), r.Flag(), r.InstantOrNull(), r.Int32()),
        AssignedTo = r.Text(),
        ResolutionCause = r.Text(),
        ResolutionFix = r.Text(),
    };

    private static void WriteSla<TWriter>(IncidentSla sla, ref TWriter w) where TWriter : IColumnWriter
    {
        w.Text(sla.Calendar);
        w.InstantOrNull(sla.StartedAt);
        w.InstantOrNull(sla.ResponseDueAt);
        w.InstantOrNull(sla.ResolutionDueAt);
        w.Flag(sla.ResponseBreached);
        w.Flag(sla.ResolutionBreached);
        w.InstantOrNull(sla.PausedAt);
        w.Int32(sla.Escalations);
    }
}

/// <summary>One stored column of an incident.</summary>
public sealed record IncidentColumn(string Name, ColumnType Type, ColumnRole Role);

/// <summary>What a column holds; each store maps these to its own SQL types (instants are Unix milliseconds in both).</summary>
public enum ColumnType : byte
{
    Text = 1,
    Int64,
    Int32,
    Flag,
    Instant,
    InstantOrNull,
    Int64OrNull,
}

/// <summary>How a column changes over an incident's life.</summary>
public enum ColumnRole : byte
{
    /// <summary>Written when the incident opens, never changed.</summary>
    Identity = 1,

    /// <summary>Written when the incident opens, never changed, and long: a store may keep it apart from the rows a list reads.</summary>
    Detail,

    /// <summary>Rewritten by an update.</summary>
    Changing,

    /// <summary>Added to, never overwritten: instances counting on one incident each add their batch's share.</summary>
    Counter,
}

/// <summary>Takes a row's values, column after column (a store's statement binder or table row).</summary>
public interface IColumnWriter
{
    void Text(string value);

    void Int64(long value);

    void Int32(int value);

    void Flag(bool value);

    void Instant(DateTimeOffset value);

    void InstantOrNull(DateTimeOffset? value);

    void Int64OrNull(long? value);
}

/// <summary>Gives a row's values, column after column (a store's data reader).</summary>
public interface IColumnReader
{
    string Text();

    long Int64();

    int Int32();

    bool Flag();

    DateTimeOffset Instant();

    DateTimeOffset? InstantOrNull();

    long? Int64OrNull();
}
