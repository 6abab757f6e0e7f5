namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// A parsed, validated wire record as positions in its bytes: what <see cref="NotificationParser"/> produces
/// without allocating. <see cref="NotificationDecoder"/> turns it into a <see cref="Notification"/> when needed.
/// </summary>
#pragma warning disable CA1051 // Public fields on purpose: the parser fills them by ref on the hot path.
public struct NotificationFields
{
    public int Version;
    public Guid EventId;
    public NotificationType Type;
    public long TimeT;
    public AlertState HostState;
    public AlertState ServiceState;
    public int ServiceAttempt;
    public int NotificationNumber;
    public Utf8Slice Instance;
    public Utf8Slice Host;
    public Utf8Slice HostAlias;
    public Utf8Slice HostAddress;
    public Utf8Slice HostStateType;
    public Utf8Slice HostOutput;
    public Utf8Slice LongHostOutput;
    public Utf8Slice Service;
    public Utf8Slice ServiceStateType;
    public Utf8Slice ServiceOutput;
    public Utf8Slice LongServiceOutput;
    public Utf8Slice ServiceProblemId;
    public Utf8Slice LastServiceProblemId;
    public Utf8Slice HostProblemId;
    public Utf8Slice LastHostProblemId;
    public Utf8Slice Author;
    public Utf8Slice Comment;
    public Utf8Slice LongDateTime;
    public Utf8Slice HostGroups;
    public Utf8Slice ServiceGroups;
    public Utf8Slice HostNotes;
    public Utf8Slice HostNotesUrl;
    public Utf8Slice HostActionUrl;
    public Utf8Slice ServiceNotes;
    public Utf8Slice ServiceNotesUrl;
    public Utf8Slice ServiceActionUrl;

    /// <summary>The whole <c>vars</c> object (braces included), or empty.</summary>
    public Utf8Slice Vars;

    public readonly bool IsServiceNotification => !Service.IsEmpty;

    public readonly AlertState State => IsServiceNotification ? ServiceState : HostState;

    public readonly Utf8Slice Output => IsServiceNotification ? ServiceOutput : HostOutput;

    /// <summary>Stores a plain text field; both readers (compact and full) go through here.</summary>
    internal void SetText(WireField field, Utf8Slice slice)
    {
        switch (field)
        {
            case WireField.Instance: Instance = slice; break;
            case WireField.Host: Host = slice; break;
            case WireField.HostAlias: HostAlias = slice; break;
            case WireField.HostAddress: HostAddress = slice; break;
            case WireField.HostStateType: HostStateType = slice; break;
            case WireField.HostOutput: HostOutput = slice; break;
            case WireField.LongHostOutput: LongHostOutput = slice; break;
            case WireField.Service: Service = slice; break;
            case WireField.ServiceStateType: ServiceStateType = slice; break;
            case WireField.ServiceOutput: ServiceOutput = slice; break;
            case WireField.LongServiceOutput: LongServiceOutput = slice; break;
            case WireField.ServiceProblemId: ServiceProblemId = slice; break;
            case WireField.LastServiceProblemId: LastServiceProblemId = slice; break;
            case WireField.HostProblemId: HostProblemId = slice; break;
            case WireField.LastHostProblemId: LastHostProblemId = slice; break;
            case WireField.Author: Author = slice; break;
            case WireField.Comment: Comment = slice; break;
            case WireField.LongDateTime: LongDateTime = slice; break;
            case WireField.HostGroups: HostGroups = slice; break;
            case WireField.ServiceGroups: ServiceGroups = slice; break;
            case WireField.HostNotes: HostNotes = slice; break;
            case WireField.HostNotesUrl: HostNotesUrl = slice; break;
            case WireField.HostActionUrl: HostActionUrl = slice; break;
            case WireField.ServiceNotes: ServiceNotes = slice; break;
            case WireField.ServiceNotesUrl: ServiceNotesUrl = slice; break;
            case WireField.ServiceActionUrl: ServiceActionUrl = slice; break;
        }
    }
}
#pragma warning restore CA1051
