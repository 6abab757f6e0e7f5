using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Ports;

/// <summary>How a source learns that its notification's effect is durable (delete the spool file, answer the caller).</summary>
public abstract class IngestReceipt
{
    /// <summary>Called once, after the store committed the batch holding the notification.</summary>
    public abstract void Committed(ApplyOutcome outcome);

    /// <summary>
    /// <paramref name="count"/> of the source's notifications, one after another in a batch, committed with the same
    /// outcome: a request's records settle with one update of its counts instead of one per record.
    /// </summary>
    public virtual void Committed(ApplyOutcome outcome, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Committed(outcome);
        }
    }

    /// <summary>
    /// The notification was not taken (the relay could not hand it to Kafka): its source offers it again later. Only
    /// sources that can re-offer (the spool) do anything.
    /// </summary>
    public virtual void Abandoned()
    {
    }

    /// <summary>
    /// The notification can never be taken where it goes (a Kafka topic refuses it as too large): its source keeps it
    /// as a dead letter with <paramref name="failure"/> and lets it go. Only sources that keep files (the spool) do anything.
    /// </summary>
    public virtual void Refused(ParseFailure failure)
    {
    }
}
