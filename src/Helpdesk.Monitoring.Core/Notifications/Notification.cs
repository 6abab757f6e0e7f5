namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// One Nagios notification with every macro the helpdesk keeps: the wire record (<c>"v":1</c>) in object form.
/// Service fields are empty for host notifications.
/// </summary>
public sealed record Notification
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required Guid EventId { get; init; }
    public required string Instance { get; init; }
    public required NotificationType Type { get; init; }
    public required long TimeT { get; init; }
    public required string Host { get; init; }
    public string HostAlias { get; init; } = "";
    public string HostAddress { get; init; } = "";
    public AlertState HostState { get; init; }
    public string HostStateType { get; init; } = "";
    public string HostOutput { get; init; } = "";
    public string LongHostOutput { get; init; } = "";
    public string Service { get; init; } = "";
    public AlertState ServiceState { get; init; }
    public string ServiceStateType { get; init; } = "";
    public int ServiceAttempt { get; init; }
    public string ServiceOutput { get; init; } = "";
    public string LongServiceOutput { get; init; } = "";
    public string ServiceProblemId { get; init; } = "";
    public string LastServiceProblemId { get; init; } = "";
    public string HostProblemId { get; init; } = "";
    public string LastHostProblemId { get; init; } = "";
    public int NotificationNumber { get; init; }
    public string Author { get; init; } = "";
    public string Comment { get; init; } = "";
    public string LongDateTime { get; init; } = "";
    public string HostGroups { get; init; } = "";
    public string ServiceGroups { get; init; } = "";

    /// <summary>The object's notes, notes URL and action URL from Nagios (its runbook): shown on the incident.</summary>
    public string HostNotes { get; init; } = "";

    public string HostNotesUrl { get; init; } = "";

    public string HostActionUrl { get; init; } = "";

    public string ServiceNotes { get; init; } = "";

    public string ServiceNotesUrl { get; init; } = "";

    public string ServiceActionUrl { get; init; } = "";

    /// <summary>Custom variables by macro name, e.g. <c>_HOSTCUSTOMER</c>.</summary>
    public IReadOnlyDictionary<string, string> Vars { get; init; } = EmptyVars;

    public bool IsServiceNotification => Service.Length > 0;

    /// <summary>The state that matters for this notification: the service's, or the host's for host notifications.</summary>
    public AlertState State => IsServiceNotification ? ServiceState : HostState;

    public string Output => IsServiceNotification ? ServiceOutput : HostOutput;

    public string LongOutput => IsServiceNotification ? LongServiceOutput : LongHostOutput;

    public DateTimeOffset ReportedAt => DateTimeOffset.FromUnixTimeSeconds(TimeT);

    public string? Var(string name) => Vars.TryGetValue(name, out var value) ? value : null;

    public bool Equals(Notification? other) =>
        other is not null && EqualityContract == other.EqualityContract
        && Version == other.Version && EventId == other.EventId && Instance == other.Instance && Type == other.Type
        && TimeT == other.TimeT && Host == other.Host && HostAlias == other.HostAlias && HostAddress == other.HostAddress
        && HostState == other.HostState && HostStateType == other.HostStateType && HostOutput == other.HostOutput
        && LongHostOutput == other.LongHostOutput && Service == other.Service && ServiceState == other.ServiceState
        && ServiceStateType == other.ServiceStateType && ServiceAttempt == other.ServiceAttempt
        && ServiceOutput == other.ServiceOutput && LongServiceOutput == other.LongServiceOutput
        && ServiceProblemId == other.ServiceProblemId && LastServiceProblemId == other.LastServiceProblemId
        && HostProblemId == other.HostProblemId && LastHostProblemId == other.LastHostProblemId
        && NotificationNumber == other.NotificationNumber && Author == other.Author && Comment == other.Comment
        && LongDateTime == other.LongDateTime && HostGroups == other.HostGroups && ServiceGroups == other.ServiceGroups
        && HostNotes == other.HostNotes && HostNotesUrl == other.HostNotesUrl && HostActionUrl == other.HostActionUrl
        && ServiceNotes == other.ServiceNotes && ServiceNotesUrl == other.ServiceNotesUrl && ServiceActionUrl == other.ServiceActionUrl
        && Vars.Count == other.Vars.Count && Vars.All(kv => other.Vars.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(EventId, Instance, Host, Service, Type, TimeT);

    internal static readonly IReadOnlyDictionary<string, string> EmptyVars = new Dictionary<string, string>(StringComparer.Ordinal);
}
