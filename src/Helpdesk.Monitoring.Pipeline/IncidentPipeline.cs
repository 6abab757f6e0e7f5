using System.Collections.Concurrent;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Runtime.CompilerServices;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>The whole path from sources to the store, as one Rx composition.</summary>
public static class IncidentPipeline
{
    /// <summary>
    /// Merges the sources with a clock tick (so timers such as the verification hold fire without traffic) and commits
    /// in groups: every arrival joins a queue, and the first arrival that finds no turn pending asks for one. A turn
    /// takes everything queued (in batches of at most the batch size) and decides, commits and settles it. Concat runs
    /// one turn at a time, so the store is never written by two batches at once and never waits for a timer: the first
    /// notification after a quiet spell is committed at once, and what arrives while a commit runs is committed
    /// together right after it (group commit). Idle, nothing runs but the tick.
    /// <para>
    /// ObserveOn hands each turn to the scheduler's thread: processing must not run on the thread of the source that
    /// pushed, where it would stall that source (an HTTP request, the spool reader) behind a commit.
    /// </para>
    /// <para>
    /// The pending flag is cleared when a turn starts, before it takes anything: an arrival that still sees it set is
    /// therefore taken by a turn that has not started yet. A <see cref="PipelineOptions.BatchWindow"/> above zero makes
    /// a turn wait that long for more arrivals first (only when something is waiting).
    /// </para>
    /// </summary>
    public static IObservable<BatchOutcome> Build(IObservable<InboundNotification> source, IncidentCommitter committer, PipelineOptions options, IScheduler scheduler)
    {
        var queued = new ConcurrentQueue<InboundNotification?>();
        var turnPending = new StrongBox<int>();
        return source
            .Select(static item => (InboundNotification?)item)
            .Merge(Observable.Interval(options.TickInterval, scheduler).Select(static _ => (InboundNotification?)null))
            .Where(item =>
            {
                queued.Enqueue(item);
                return Interlocked.Exchange(ref turnPending.Value, 1) == 0;
            })
            .ObserveOn(scheduler)
            .Select(_ => Gather(options.BatchWindow, scheduler)
                .SelectMany(_ => Observable.Create<BatchOutcome>(async (observer, cancellationToken) =>
                {
                    Volatile.Write(ref turnPending.Value, 0);
                    while (Take(queued, options.BatchSize) is { Count: > 0 } batch)
                    {
                        observer.OnNext(await committer.ProcessAsync(batch, cancellationToken).ConfigureAwait(false));
                    }
                })))
            .Concat();
    }

    private static IObservable<Unit> Gather(TimeSpan window, IScheduler scheduler) =>
        window > TimeSpan.Zero ? Observable.Timer(window, scheduler).Select(static _ => Unit.Default) : Observable.Return(Unit.Default);

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
