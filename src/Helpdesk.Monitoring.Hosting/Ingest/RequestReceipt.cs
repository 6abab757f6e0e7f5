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

    public override void Committed(ApplyOutcome outcome) => Committed(outcome, 1);

    public override void Committed(ApplyOutcome outcome, int count)
    {
        if (outcome == ApplyOutcome.Redelivered)
        {
            Interlocked.Add(ref _duplicates, count);
        }

        _ingest.Release(count);
        if (Interlocked.Add(ref _pending, -count) == 0)
        {
            _done.TrySetResult();
        }
    }
}
