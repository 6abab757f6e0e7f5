using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Telemetry;

/// <summary>
/// The labels of <see cref="HelpdeskMetrics"/>' labelled instruments. A class of its own because an exporter reads it
/// while the instruments are being created, before <see cref="HelpdeskMetrics"/> has finished initialising.
/// </summary>
public static class HelpdeskMetricLabels
{
    private static readonly string[] Sources = ["http", "spool", "pipeline", "kafka"];

    /// <summary>
    /// Each labelled instrument's labels, in the order its measurements carry them, with every value they can take: an
    /// exporter shows each series at 0 from the start, because rate() over a series that does not exist yet is empty,
    /// not 0, and an alert on it would never fire.
    /// </summary>
    public static IReadOnlyDictionary<string, MetricLabel[]> ByInstrument { get; } = new Dictionary<string, MetricLabel[]>(StringComparer.Ordinal)
    {
        [HelpdeskMetrics.IngestedName] = [new("type", [.. Enum.GetValues<NotificationType>().Where(t => t != NotificationType.None).Select(NagiosNames.Of)])],
        [HelpdeskMetrics.DeadLetteredName] =
        [
            new("reason", [.. Enum.GetValues<RejectReason>().Where(r => r != RejectReason.None).Select(RejectReasons.Label)]),
            new("source", Sources),
        ],
        [HelpdeskMetrics.DuplicatesName] = [new("kind", ["redelivery", "repeat"])],
        [HelpdeskMetrics.AgentActionsName] =
        [
            new("action", [.. Enum.GetValues<AgentActionKind>().Select(ActionName)]),
            new("outcome", [.. Enum.GetValues<ApplyOutcome>().Select(IncidentNames.Of).Distinct()]),
        ],
        [HelpdeskMetrics.SharedStateFailuresName] = [new("operation", ["read", "write", "connection"])],
        [HelpdeskMetrics.DeadLettersDroppedName] = [new("source", Sources)],
        [ReconciledName] = [new("decision", ["recovered", "missed_problem", "acknowledged", "downtime"])],
    };

    public const string ReconciledName = "helpdesk_reconciliations";

    /// <summary>An action as the agent-actions metric names it.</summary>
    public static string ActionName(AgentActionKind kind) => kind switch
    {
        AgentActionKind.Resolve => "resolve",
        AgentActionKind.Note => "note",
        AgentActionKind.Assign => "assign",
        AgentActionKind.Comment => "comment",
        AgentActionKind.Prioritize => "prioritize",
        AgentActionKind.Reopen => "reopen",
        AgentActionKind.Confirm => "confirm",
        _ => "acknowledge",
    };

    public const string SatisfactionName = "helpdesk_satisfaction_ratings";

    /// <summary>The satisfaction answers' labels: every team the rules route to (and "none"), and the five scores.</summary>
    public static MetricLabel[] Satisfaction(IEnumerable<string> teams) =>
        [new("team", [.. teams.Append("none").Distinct(StringComparer.Ordinal)]), new("score", ["1", "2", "3", "4", "5"])];
}
