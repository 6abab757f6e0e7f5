using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Hosting.Ingest;

/// <summary>One agent action: completes with its outcome once committed.</summary>
internal sealed class ActionReceipt(HttpIngest ingest) : IngestReceipt
{
    private readonly TaskCompletionSource<ApplyOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<ApplyOutcome> Done => _done.Task;

    public override void Committed(ApplyOutcome outcome)
    {
        ingest.Release(1);
        _done.TrySetResult(outcome);
    }
}

/// <summary>Puts a person's action into the pipeline and waits for its commit, bounded like every other write.</summary>
internal static class ActionSubmission
{
    /// <summary>The outcome once committed; null when the pipeline is full (nothing queued) or the commit took longer than <paramref name="timeout"/> (queued).</summary>
    public static async Task<(ApplyOutcome? Outcome, bool Queued)> SubmitAsync(HttpIngest ingest, AgentAction action, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!ingest.TryReserve(1))
        {
            return (null, false);
        }

        var receipt = new ActionReceipt(ingest);
        ingest.Push(new InboundNotification(action, receipt));
        try
        {
            return (await receipt.Done.WaitAsync(timeout, time, cancellationToken), true);
        }
        catch (TimeoutException)
        {
            return (null, true);
        }
    }
}
