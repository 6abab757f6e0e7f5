using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>Enums as readable text in the database, so an admin's SQL reads like the API.</summary>
internal static class ColumnText
{
    public static string Of(IncidentStatus status) => status switch
    {
        IncidentStatus.Open => "open",
        IncidentStatus.Acknowledged => "acknowledged",
        IncidentStatus.Resolved => "resolved",
        _ => "closed",
    };

    public static IncidentStatus Status(string text) => text switch
    {
        "open" => IncidentStatus.Open,
        "acknowledged" => IncidentStatus.Acknowledged,
        "resolved" => IncidentStatus.Resolved,
        _ => IncidentStatus.Closed,
    };

    public static string Of(Priority priority) => "P" + (int)priority;

    public static Priority Priority(string text) => (Priority)(text[1] - '0');

    public static AlertState State(string text) => NagiosNames.ParseHostState(text) is var host and not AlertState.None ? host : NagiosNames.ParseServiceState(text);

    public static string Of(TimelineKind kind) => TimelineKindNames.Of(kind);

    public static TimelineKind Kind(string text) => TimelineKindNames.Parse(text);

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

    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? MsOrNull(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static byte[] Bytes(Guid id) => id.ToByteArray(bigEndian: true);

    public static Guid Guid(byte[] bytes) => new(bytes, bigEndian: true);
}
