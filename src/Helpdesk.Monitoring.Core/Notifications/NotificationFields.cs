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

    /// <summary>The record had properties no v1 field has: ignored (a newer writer's), but the sender may have misspelt one.</summary>
    public bool IgnoredProperties;
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

    /// <summary>Stores a plain text field; both readers go through here.</summary>
    internal void SetText(WireField field, Utf8Slice slice) => TextSlot(field) = slice;

    /// <summary>
    /// Where a text field's slice is kept (a null reference for a field that is not text). The in-order reader measures
    /// these places once, at start-up, and then stores into them without a switch per field.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    internal ref Utf8Slice TextSlot(WireField field)
    {
        switch (field)
        {
            case WireField.Instance: return ref Instance;
            case WireField.Host: return ref Host;
            case WireField.HostAlias: return ref HostAlias;
            case WireField.HostAddress: return ref HostAddress;
            case WireField.HostStateType: return ref HostStateType;
            case WireField.HostOutput: return ref HostOutput;
            case WireField.LongHostOutput: return ref LongHostOutput;
            case WireField.Service: return ref Service;
            case WireField.ServiceStateType: return ref ServiceStateType;
            case WireField.ServiceOutput: return ref ServiceOutput;
            case WireField.LongServiceOutput: return ref LongServiceOutput;
            case WireField.ServiceProblemId: return ref ServiceProblemId;
            case WireField.LastServiceProblemId: return ref LastServiceProblemId;
            case WireField.HostProblemId: return ref HostProblemId;
            case WireField.LastHostProblemId: return ref LastHostProblemId;
            case WireField.Author: return ref Author;
            case WireField.Comment: return ref Comment;
            case WireField.LongDateTime: return ref LongDateTime;
            case WireField.HostGroups: return ref HostGroups;
            case WireField.ServiceGroups: return ref ServiceGroups;
            case WireField.HostNotes: return ref HostNotes;
            case WireField.HostNotesUrl: return ref HostNotesUrl;
            case WireField.HostActionUrl: return ref HostActionUrl;
            case WireField.ServiceNotes: return ref ServiceNotes;
            case WireField.ServiceNotesUrl: return ref ServiceNotesUrl;
            case WireField.ServiceActionUrl: return ref ServiceActionUrl;
            default: return ref System.Runtime.CompilerServices.Unsafe.NullRef<Utf8Slice>();
        }
    }
}
#pragma warning restore CA1051
