using System.Diagnostics;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>A parsed notification on its way to the store, with the receipt its source settles after the commit.</summary>
public sealed class InboundNotification
{
    public InboundNotification(ReadOnlyMemory<byte> record, in NotificationFields fields, IngestReceipt receipt)
    {
        Record = record;
        _fields = fields;
        Receipt = receipt;
        ReceivedTimestamp = Stopwatch.GetTimestamp();
    }

    public ReadOnlyMemory<byte> Record { get; }

    private readonly NotificationFields _fields;

    /// <summary>By reference: the struct is large and read on the hot path.</summary>
    public ref readonly NotificationFields Fields => ref _fields;

    public IngestReceipt Receipt { get; }

    public long ReceivedTimestamp { get; }
}
