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
