using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>How a source learns that its notification's effect is durable (delete the spool file, answer the caller).</summary>
public abstract class IngestReceipt
{
    /// <summary>Called once, after the store committed the batch holding the notification.</summary>
    public abstract void Committed(ApplyOutcome outcome);

    /// <summary>
    /// The notification was not taken (the relay could not hand it to Kafka): its source offers it again later. Only
    /// sources that can re-offer (the spool) do anything.
    /// </summary>
    public virtual void Abandoned()
    {
    }
}
