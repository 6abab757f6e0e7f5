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
