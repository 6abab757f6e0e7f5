using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Hosting.Ingest;

/// <summary>One POST's notifications: completes when the last of them is committed.</summary>
internal sealed class RequestReceipt : IngestReceipt
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpIngest _ingest;
    private int _pending;
    private int _duplicates;

    /// <param name="ingest">Where the request reserved room for its records; each commit gives one back.</param>
    public RequestReceipt(HttpIngest ingest, int count)
    {
        _ingest = ingest;
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

        _ingest.Release(1);
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.TrySetResult();
        }
    }
}
