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
    /// </summary>
    public static IObservable<BatchOutcome> Build(IObservable<InboundNotification> source, IncidentLedger ledger, PipelineOptions options, IScheduler scheduler) =>
        source
            .Select(static item => (InboundNotification?)item)
            .Merge(Observable.Interval(options.TickInterval, scheduler).Select(static _ => (InboundNotification?)null))
            .Buffer(options.BatchWindow, options.BatchSize, scheduler)
            .Where(static batch => batch.Count > 0)
            .ObserveOn(scheduler)
            .Select(batch => Observable.FromAsync(ct => ledger.ProcessAsync(batch, ct)))
            .Concat();
}
