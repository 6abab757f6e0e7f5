using Helpdesk.Monitoring.Policy;
namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Status, priority and outcome as text: the same words in both stores (so an admin's SQL reads like the API), the
/// API, the metrics' labels and the CLI.
/// </summary>
public static class IncidentNames
{
    public static string Of(IncidentStatus status) => status switch
    {
        IncidentStatus.Open => "open",
        IncidentStatus.Acknowledged => "acknowledged",
        IncidentStatus.Resolved => "resolved",
        _ => "closed",
    };

    public static IncidentStatus ParseStatus(string text) => text switch
    {
        "open" => IncidentStatus.Open,
        "acknowledged" => IncidentStatus.Acknowledged,
        "resolved" => IncidentStatus.Resolved,
        _ => IncidentStatus.Closed,
    };

    public static string Of(Priority priority) => "P" + (int)priority;

    public static Priority ParsePriority(string text) => (Priority)(text[1] - '0');

    /// <summary>P1 to P5 (either case) and nothing else: not "P9", not "1", not "99".</summary>
    public static bool TryParsePriority(string text, out Priority priority)
    {
        priority = text is [('P' or 'p'), >= '1' and <= '5'] ? (Priority)(text[1] - '0') : 0;
        return priority != 0;
    }

    /// <summary>open, acknowledged, resolved or closed (either case) and nothing else.</summary>
    public static bool TryParseStatus(string text, out IncidentStatus status)
    {
        var lower = text.ToLowerInvariant();
        status = ParseStatus(lower);
        return lower is "open" or "acknowledged" or "resolved" or "closed";
    }

    public static string Of(ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Redelivered => "redelivered",
        ApplyOutcome.Opened => "opened",
        ApplyOutcome.Updated => "updated",
        ApplyOutcome.Repeated => "repeated",
        ApplyOutcome.Acknowledged => "acknowledged",
        ApplyOutcome.Resolved => "resolved",
        ApplyOutcome.Reopened => "reopened",
        ApplyOutcome.Noted => "noted",
        ApplyOutcome.Correlated => "correlated",
        _ => "ignored",
    };
}
