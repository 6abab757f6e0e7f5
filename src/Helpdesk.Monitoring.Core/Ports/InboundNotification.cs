using System.Diagnostics;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// A parsed notification (or an agent's action) on its way to the store, with the receipt its source settles after
/// the commit. Actions ride the same pipeline so they are ordered with notifications, batched, and idempotent by id.
/// </summary>
public sealed class InboundNotification
{
    public InboundNotification(ReadOnlyMemory<byte> record, in NotificationFields fields, IngestReceipt receipt)
    {
        Record = record;
        _fields = fields;
        Receipt = receipt;
        ReceivedTimestamp = Stopwatch.GetTimestamp();
    }

    public InboundNotification(AgentAction action, IngestReceipt receipt)
    {
        Action = action;
        Receipt = receipt;
        ReceivedTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Set for an agent's action (then there is no record).</summary>
    public AgentAction? Action { get; }

    /// <summary>The notification's event id, or the action's id.</summary>
    public Guid EventId => Action?.Id ?? _fields.EventId;

    public ReadOnlyMemory<byte> Record { get; }

    private readonly NotificationFields _fields;

    /// <summary>By reference: the struct is large and read on the hot path.</summary>
    public ref readonly NotificationFields Fields => ref _fields;

    public IngestReceipt Receipt { get; }

    public long ReceivedTimestamp { get; }
}
