using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Pipeline;

namespace Helpdesk.Monitoring.Hosting.Ingest;

/// <summary>One POST's notifications: completes when the last of them is committed.</summary>
internal sealed class RequestReceipt : IngestReceipt
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending;
    private int _duplicates;

    public RequestReceipt(int count)
    {
        _pending = count;
        if (count == 0)
        {
            _done.TrySetResult();
        }
    }

    public Task Done => _done.Task;

    public int Duplicates => Volatile.Read(ref _duplicates);

    public override void Committed(ApplyOutcome outcome)
    {
        if (outcome == ApplyOutcome.Redelivered)
        {
            Interlocked.Increment(ref _duplicates);
        }

        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.TrySetResult();
        }
    }
}
