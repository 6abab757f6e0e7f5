using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>An incident as the API shows it.</summary>
public sealed record IncidentJson(
    string Number, string Title, string Status, string Priority, string Category, string Team, string Tier, string Instance, string Host, string Service, string Customer,
    string State, string WorstState, long AlertCount, string LastOutput, string ProblemId, DateTimeOffset OpenedAt, DateTimeOffset LastSeenAt,
    DateTimeOffset? AcknowledgedAt, string AcknowledgedBy, string AcknowledgementComment, DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt, int ReopenCount, bool Flapping, int FlapCount, bool InMaintenance, DateTimeOffset UpdatedAt, string Description,
    string CorrelationRule, string CorrelationKey, string? MergedInto, SlaJson Sla, string AssignedTo, string ResolutionCause, string ResolutionFix)
{
    /// <summary>Alerts the incident holds besides its cause (in lists; a detail lists the members themselves).</summary>
    public int MemberCount { get; init; }

    public static IncidentJson From(IncidentRecord r) => new(
        r.Number, r.Title, IncidentNames.Of(r.Status), IncidentNames.Of(r.Priority), r.Category, r.Team, r.Tier, r.Instance, r.Host, r.Service, r.Customer,
        NagiosNames.Of(r.State), NagiosNames.Of(r.WorstState), r.AlertCount, r.LastOutput, r.ProblemId, r.OpenedAt, r.LastSeenAt,
        r.AcknowledgedAt, r.AcknowledgedBy, r.AcknowledgementComment, r.ResolvedAt, r.ClosedAt, r.ReopenCount, r.Flapping, r.FlapCount, r.InMaintenance, r.UpdatedAt, r.Description,
        r.CorrelationRule, r.CorrelationKey, r.MergedInto is { } merged ? IncidentNumber.Format(merged) : null, SlaJson.From(r.Sla),
        r.AssignedTo, r.ResolutionCause, r.ResolutionFix);

}

/// <summary>An incident's SLA clock as the API shows it.</summary>
public sealed record SlaJson(
    string Calendar, DateTimeOffset? StartedAt, DateTimeOffset? ResponseDueAt, DateTimeOffset? ResolutionDueAt, bool ResponseBreached,
    bool ResolutionBreached, DateTimeOffset? PausedAt, int Escalations)
{
    public static SlaJson From(IncidentSla s) =>
        new(s.Calendar, s.StartedAt, s.ResponseDueAt, s.ResolutionDueAt, s.ResponseBreached, s.ResolutionBreached, s.PausedAt, s.Escalations);
}

/// <summary>An alert correlated into an incident: which, by what rule and key, and whether it recovered.</summary>
public sealed record MemberJson(
    string Instance, string Host, string Service, string Rule, string Key, string State, bool Recovered, long AlertCount, DateTimeOffset JoinedAt,
    DateTimeOffset LastSeenAt, string LastOutput)
{
    public static MemberJson From(AlertMember m) =>
        new(m.Instance, m.Host, m.Service, m.Rule, m.Key, NagiosNames.Of(m.State), m.Recovered, m.AlertCount, m.JoinedAt, m.LastSeenAt, m.LastOutput);
}

/// <summary>An incident with its correlated alerts, its timeline, its events and the customer's earlier incidents on the same host.</summary>
public sealed record IncidentDetailJson(
    IncidentJson Incident, IReadOnlyList<MemberJson> Members, IReadOnlyList<TimelineJson> Timeline, IReadOnlyList<IncidentEventJson> Events, IReadOnlyList<HistoryJson> History)
{
    /// <summary>The customer's answer to the satisfaction question, once they gave it.</summary>
    public SatisfactionJson? Satisfaction { get; init; }

    public static IncidentDetailJson From(IncidentDetail d, IReadOnlyList<IncidentRecord> history) =>
        new(IncidentJson.From(d.Incident) with { MemberCount = d.Members.Count }, d.Members.Select(MemberJson.From).ToList(), d.Timeline.Select(TimelineJson.From).ToList(),
            d.Events.Select(IncidentEventJson.From).ToList(), history.Select(HistoryJson.From).ToList());
}

/// <summary>One incident event from the outbox: what happened, why, and the incident right after it.</summary>
public sealed record IncidentEventJson(
    Guid Id, string Event, DateTimeOffset At, int Seq, Guid? Cause, string Status, string Priority, string Tier, string State, long AlertCount,
    string? MergedInto, string Text)
{
    public static IncidentEventJson From(IncidentEvent e) =>
        new(e.Id, IncidentEventKindNames.Of(e.Kind), e.At, e.Seq, e.Cause, IncidentNames.Of(e.Status), IncidentNames.Of(e.Priority), e.Tier,
            NagiosNames.Of(e.State), e.AlertCount, e.MergedInto is { } into ? IncidentNumber.Format(into) : null, e.Text);
}

/// <summary>One earlier incident, as a line in the history beside an incident.</summary>
public sealed record HistoryJson(string Number, string Title, string Service, string Status, string Priority, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt)
{
    public static HistoryJson From(IncidentRecord r) =>
        new(r.Number, r.Title, r.Service, IncidentNames.Of(r.Status), IncidentNames.Of(r.Priority), r.OpenedAt, r.ResolvedAt, r.ClosedAt);
}

/// <summary>A customer's satisfaction answer: 1 (poor) to 5 (excellent), and their comment.</summary>
public sealed record SatisfactionJson(int Score, string Comment, DateTimeOffset At);

/// <summary>One timeline entry.</summary>
public sealed record TimelineJson(int Seq, DateTimeOffset At, string Kind, Guid? EventId, string Text)
{
    public static TimelineJson From(TimelineEntry e) => new(e.Seq, e.At, TimelineKindNames.Of(e.Kind), e.EventId, e.Text);
}

/// <summary>One page of incidents.</summary>
public sealed record IncidentPageJson(IReadOnlyList<IncidentJson> Items, int Page, int PageSize, long Total);

/// <summary>What a POST of notifications did.</summary>
public sealed record IngestResultJson(int Accepted, int Duplicates, IReadOnlyList<RejectedJson> Rejected, string? DeadLetter = null)
{
    /// <summary>Set when the request was refused whole: why.</summary>
    public string? Refused { get; init; }

    /// <summary>Properties of accepted records that no field has, each in a sentence (null when none): ignored, perhaps misspelt.</summary>
    public IReadOnlyList<string>? Ignored { get; init; }
}

/// <summary>A refused record in a POST: its index in the batch, the reason class and the message.</summary>
public sealed record RejectedJson(int Index, string Reason, string Message);
