using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>The whole path from sources to the store, as one Rx composition.</summary>
public static class IncidentPipeline
{
    /// <summary>
    /// Merges the sources with a clock tick (so timers such as the verification hold fire without traffic), batches by
    /// size or time, and processes one batch at a time: decide, commit, settle receipts. Concat keeps batches in order
    /// and never lets two batches touch the incident book at once. ObserveOn hands each closed batch to the scheduler's
    /// thread: processing must not run inside Buffer's lock, where it would stall every source pushing the next batch.
    /// <para>
    /// Batches that closed while an earlier one was being processed are coalesced (up to the batch size): each closed
    /// batch queues its items and a turn; a turn takes whatever is queued. Under load a batch therefore grows to the
    /// size the per-batch costs (an fsync, two Redis round trips) need, instead of staying one window's worth; idle,
    /// it stays one window's worth and latency stays low. Every closed batch holds at most the batch size, so there
    /// are always enough turns for every queued item, in arrival order.
    /// </para>
    /// </summary>
    public static IObservable<BatchOutcome> Build(IObservable<InboundNotification> source, IncidentLedger ledger, PipelineOptions options, IScheduler scheduler)
    {
        var queued = new ConcurrentQueue<InboundNotification?>();
        return source
            .Select(static item => (InboundNotification?)item)
            .Merge(Observable.Interval(options.TickInterval, scheduler).Select(static _ => (InboundNotification?)null))
            .Buffer(options.BatchWindow, options.BatchSize, scheduler)
            .Where(static batch => batch.Count > 0)
            .Do(batch =>
            {
                foreach (var item in batch)
                {
                    queued.Enqueue(item);
                }
            })
            .ObserveOn(scheduler)
            .Select(_ => Observable.Defer(() => Take(queued, options.BatchSize) is { Count: > 0 } batch
                ? Observable.FromAsync(ct => ledger.ProcessAsync(batch, ct))
                : Observable.Empty<BatchOutcome>()))
            .Concat();
    }

    private static List<InboundNotification?> Take(ConcurrentQueue<InboundNotification?> queued, int most)
    {
        var batch = new List<InboundNotification?>(Math.Min(most, queued.Count));
        while (batch.Count < most && queued.TryDequeue(out var item))
        {
            batch.Add(item);
        }

        return batch;
    }
}
