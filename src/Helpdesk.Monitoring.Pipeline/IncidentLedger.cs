using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using Helpdesk.Monitoring.Diagnostics;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>
/// Owns the incident book and writes its decisions: one batch at a time, decide in memory, commit to the store
/// (retrying until it succeeds), then settle the receipts. If the store says some events were applied already, the
/// in-memory state is stale: it is rebuilt from the store and the batch decided again.
/// </summary>
public sealed class IncidentLedger
{
    private readonly IIncidentStore _store;
    private readonly IDeadLetterSink _deadLetters;
    private readonly IncidentPolicy _policy;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<string, Exception?> _log;
    private readonly Polly.ResiliencePipeline _commitRetries;
    private readonly Polly.ResiliencePipeline _storeRetries;
    private ISharedState _shared = NoSharedState.Instance;

    // Copied on subscribe (rare, at start-up), read on every turn without a lock.
    private IIncidentEventSubscriber[] _subscribers = [IncidentEventCounters.Instance];

    private IncidentLedger(IIncidentStore store, IDeadLetterSink deadLetters, IncidentPolicy policy, PipelineOptions options, TimeProvider time, Action<string, Exception?> log, IncidentBook book)
    {
        _store = store;
        _deadLetters = deadLetters;
        _policy = policy;
        _options = options;
        _time = time;
        _log = log;
        _commitRetries = StoreRetries.ForCommit(options, time, log);
        _storeRetries = StoreRetries.UntilDone(options, time, log);
        Book = book;
    }

    public IncidentBook Book { get; private set; }

    // Small slices: a prune runs on the pipeline thread between batches and must not stall ingest for long.
    private const int PruneSlice = 10_000;

    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    // Since when the store has been asked for something it has not yet done (UTC ticks; 0 when the last call
    // succeeded): a failing store and one stuck on a lock look the same from here. Read by /readyz on request threads.
    private long _waitingSinceTicks;
    private int _rebuildRequested;
    private DateTimeOffset _sharedFreshUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// How long the store has gone without doing what was asked (failing, or stuck on one call); zero once a call
    /// succeeds. A healthy store shows the length of the call in progress, milliseconds.
    /// </summary>
    public TimeSpan StoreFailingFor(DateTimeOffset now)
    {
        var since = Interlocked.Read(ref _waitingSinceTicks);
        return since == 0 ? TimeSpan.Zero : now - new DateTimeOffset(since, TimeSpan.Zero);
    }

    private void StoreAsked() => Interlocked.CompareExchange(ref _waitingSinceTicks, _time.GetUtcNow().UtcTicks, 0);

    private void StoreWorked() => Interlocked.Exchange(ref _waitingSinceTicks, 0);

    /// <summary>
    /// Asks for the state to be rebuilt from the store before the next batch is decided: another instance may have
    /// changed incidents this one will now decide for (Kafka partitions moved here).
    /// </summary>
    public void RequestRebuild() => Volatile.Write(ref _rebuildRequested, 1);

    /// <summary>
    /// The state shared with other instances (scale-out: Redis). Written after each batch's store commit and before its
    /// receipts settle (store, then shared state, then the Kafka offset); the write's answer brings what other
    /// instances changed. Read before a batch only when the book has event ids it cannot place or that answer is older
    /// than <see cref="PipelineOptions.SharedStateFreshness"/>.
    /// </summary>
    public ISharedState Shared
    {
        get => _shared;
        set => _shared = value;
    }

    /// <summary>
    /// Adds a subscriber told of each committed batch's incident events, after the store holds them and the batch's
    /// receipts are settled. The metrics' incident counters are one from the start.
    /// </summary>
    public void Subscribe(IIncidentEventSubscriber subscriber) => _subscribers = [.. _subscribers, subscriber];

    /// <summary>Migrates the store and rebuilds the in-memory state from it.</summary>
    public static async Task<IncidentLedger> OpenAsync(IIncidentStore store, IDeadLetterSink deadLetters, IncidentPolicy policy, PipelineOptions options,
        TimeProvider time, Action<string, Exception?> log, CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var book = await LoadBookAsync(store, policy, time, cancellationToken);
        return new IncidentLedger(store, deadLetters, policy, options, time, log, book);
    }

    public async Task<BatchOutcome> ProcessAsync(IList<InboundNotification?> batch, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (Interlocked.Exchange(ref _rebuildRequested, 0) == 1)
        {
            Book = await WithRetryAsync(ct => LoadBookAsync(_store, _policy, _time, ct), cancellationToken);
        }

        var outcomes = new ApplyOutcome[batch.Count];
        HashSet<Guid> knownApplied = [];
        await ReadSharedAsync(batch, knownApplied, now, cancellationToken);
        for (var rebuilds = 0; ; rebuilds++)
        {
            await LookUpUnknownAsync(batch, knownApplied, cancellationToken);
            var plan = new CommitPlan();
            await DecideAsync(batch, knownApplied, now, plan, outcomes, cancellationToken);
            Book.ApplyTimers(now, plan);
            plan.Seal();
            var result = plan.IsEmpty ? CommitResult.Committed : await CommitAsync(plan, cancellationToken);
            if (result is { IsCommitted: true })
            {
                var notifications = batch.Any(static item => item is not null);
                if (notifications)
                {
                    CrashPoint.Reach(CrashPoint.LedgerAfterCommit);
                }

                await WriteSharedAsync(plan, now, cancellationToken);
                if (notifications)
                {
                    CrashPoint.Reach(CrashPoint.LedgerBeforeSettle);
                }

                var outcome = Settle(batch, outcomes, plan, rebuilds);
                Publish(plan.IncidentEvents);
                await PruneIfDueAsync(now, cancellationToken);
                return outcome;
            }

            if (result is { ChangedElsewhere.Count: > 0 })
            {
                HelpdeskMetrics.CommitConflicted();
                _log($"incident(s) {string.Join(", ", result.ChangedElsewhere.Select(IncidentNumber.Format))} changed by another instance since this one "
                    + "read them; rebuilding state from the store and deciding the batch again", null);
            }
            else if (result is not null)
            {
                _log($"{result.AlreadyApplied.Count} event(s) were applied by an earlier run; rebuilding state from the store", null);
                knownApplied.UnionWith(result.AlreadyApplied);
            }

            Book = await WithRetryAsync(ct => LoadBookAsync(_store, _policy, _time, ct), cancellationToken);
        }
    }

    /// <summary>
    /// Commits with retries. A store that keeps refusing the same plan (a constraint the in-memory state broke, not an
    /// outage) gets null after a few attempts: the caller rebuilds the state from the store and decides again. An
    /// outage then waits in the rebuild, which retries for as long as it takes.
    /// </summary>
    private async Task<CommitResult?> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            return await _commitRetries.ExecuteAsync(static async (state, ct) =>
            {
                var (ledger, plan) = state;
                ledger.StoreAsked();
                var result = await ledger._store.CommitAsync(plan, ct);
                ledger.StoreWorked();
                return result;
            }, (this, plan), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            HelpdeskMetrics.CommitFailed();
            _log($"commit failed {StoreRetries.CommitAttempts} times; rebuilding state from the store and deciding the batch again", ex);
            return null;
        }
    }

    /// <summary>Keeps the idempotency table bounded: one slice of old ids per interval, after a batch is settled.</summary>
    private async Task PruneIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + _options.PruneInterval;
        try
        {
            var pruned = await _store.PruneAppliedEventsAsync(now - _options.AppliedEventRetention, PruneSlice, cancellationToken);
            if (pruned == PruneSlice)
            {
                // More is waiting: come back after the next batch rather than stall this one.
                _nextPrune = now;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _log("pruning old applied event ids failed; will retry", ex);
        }
    }

    /// <summary>
    /// Ids other instances applied, their storm rate, and the incidents they changed; an unreachable shared state only
    /// costs store look-ups.
    /// </summary>
    private async Task ReadSharedAsync(IList<InboundNotification?> batch, HashSet<Guid> knownApplied, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_shared is NoSharedState)
        {
            return;
        }

        // Only ids this book cannot place ask: ids created after its watermark and not seen are new (partitions that
        // move here rebuild the book, which moves the watermark past everything another instance could have applied).
        var ids = new List<Guid>();
        foreach (var item in batch)
        {
            if (item is not null && Book.Classify(item.EventId) == EventIdClass.Unknown)
            {
                ids.Add(item.EventId);
            }
        }

        // The last write's answer is recent (under load, milliseconds): nothing to ask that it did not already say.
        if (ids.Count == 0 && now < _sharedFreshUntil)
        {
            return;
        }

        try
        {
            var view = await _shared.ReadAsync(ids, now.ToUnixTimeSeconds(), cancellationToken);
            knownApplied.UnionWith(view.Applied);
            if (view.RebuildFromStore)
            {
                // Empty or reset (restart, flush, new cluster), or this instance fell behind its change log.
                _log("shared state empty or reset, or this instance fell behind its change log; rebuilding from the store", null);
                Book = await WithRetryAsync(ct => LoadBookAsync(_store, _policy, _time, ct), cancellationToken);
                await _shared.SeedAsync(Book.ExportLive(), cancellationToken);
            }

            Take(view, now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HelpdeskMetrics.SharedStateFailed("read");
            _log("shared state unreachable; deciding with the store and this instance's own view", ex);
        }
    }

    /// <summary>Absorbs what other instances changed and their storm rate; the answer stands in for a read for a while.</summary>
    private void Take(SharedView view, DateTimeOffset now)
    {
        foreach (var incident in view.Changed)
        {
            Book.Absorb(incident);
        }

        foreach (var member in view.ChangedMembers)
        {
            Book.Absorb(member);
        }

        Book.OtherInstancesStormRate = Math.Max(0, view.NewProblemsLastMinute - Book.OwnStormRate(now.ToUnixTimeSeconds()));
        _sharedFreshUntil = now + _options.SharedStateFreshness;
    }

    private async Task WriteSharedAsync(CommitPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_shared is NoSharedState || plan.IsEmpty)
        {
            return;
        }

        try
        {
            var view = await _shared.WriteAsync(new SharedUpdate(plan.Events.Select(e => e.EventId).ToList(), plan.NewProblemsBySecond)
            {
                Incidents = Book.Export(plan),
            }, now.ToUnixTimeSeconds(), cancellationToken);
            if (view.RebuildFromStore)
            {
                // Emptied or reset since the last read: the next batch reads, which rebuilds and seeds.
                _sharedFreshUntil = DateTimeOffset.MinValue;
                return;
            }

            Take(view, now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store holds the truth: a missed write only means other instances ask the store instead.
            _sharedFreshUntil = DateTimeOffset.MinValue;
            HelpdeskMetrics.SharedStateFailed("write");
            _log("shared state not updated; other instances will ask the store", ex);
        }
    }

    private async Task LookUpUnknownAsync(IList<InboundNotification?> batch, HashSet<Guid> knownApplied, CancellationToken cancellationToken)
    {
        List<Guid>? unknown = null;
        foreach (var item in batch)
        {
            if (item is not null && !knownApplied.Contains(item.EventId) && Book.Classify(item.EventId) == EventIdClass.Unknown)
            {
                (unknown ??= []).Add(item.EventId);
            }
        }

        if (unknown is not null)
        {
            var applied = await WithRetryAsync(ct => _store.FindAppliedAsync(unknown, ct).AsTask(), cancellationToken);
            knownApplied.UnionWith(applied);
        }
    }

    private async Task DecideAsync(IList<InboundNotification?> batch, HashSet<Guid> knownApplied, DateTimeOffset now, CommitPlan plan, ApplyOutcome[] outcomes, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            if (item is null)
            {
                continue;
            }

            try
            {
                outcomes[i] = item.Action is { } action
                    ? Book.Apply(action, now, knownApplied.Contains(action.Id), plan)
                    : Book.Apply(item.Record.Span, in item.Fields, now, knownApplied.Contains(item.Fields.EventId), plan);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug, not bad input: keep the record with the reason so it can be replayed once fixed.
                _log($"processing notification {item.EventId} failed; dead-lettered", ex);
                await _deadLetters.WriteAsync(new DeadLetter("pipeline", RejectReason.ProcessingFailed, ex.ToString(), item.Record, now), cancellationToken);
                HelpdeskMetrics.Rejected(RejectReason.ProcessingFailed, "pipeline");
                outcomes[i] = ApplyOutcome.Ignored;
            }
        }
    }

    private static BatchOutcome Settle(IList<InboundNotification?> batch, ApplyOutcome[] outcomes, CommitPlan plan, int rebuilds)
    {
        var count = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is { } item)
            {
                count++;
                if (item.Action is { } action)
                {
                    HelpdeskMetrics.AgentActed(action.Kind, outcomes[i]);
                }
                else
                {
                    HelpdeskMetrics.Committed(item.Fields.Type, outcomes[i], item.ReceivedTimestamp);
                }

                item.Receipt.Committed(outcomes[i]);
            }
        }

        var closed = plan.Timeline.Count(e => e.Kind == TimelineKind.Closed);
        return new BatchOutcome(count, outcomes, plan.IncidentsWritten, closed, rebuilds);
    }

    private void Publish(IReadOnlyList<IncidentEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        foreach (var subscriber in _subscribers)
        {
            try
            {
                subscriber.Committed(events);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The batch is committed and settled: a subscriber's bug must not stop ingest or undo anything.
                _log($"the incident event subscriber {subscriber.GetType().Name} failed; the events stay in the store's outbox", ex);
            }
        }
    }

    private async Task<T> WithRetryAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        await _storeRetries.ExecuteAsync(static async (state, ct) =>
        {
            var (ledger, operation) = state;
            ledger.StoreAsked();
            var result = await operation(ct);
            ledger.StoreWorked();
            return result;
        }, (this, operation), cancellationToken);

    private static async Task<IncidentBook> LoadBookAsync(IIncidentStore store, IncidentPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(cancellationToken);

        // Ids created before now, or before the newest id ever applied, may be redeliveries: those ask the store.
        var watermark = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), snapshot.MaxEventUnixMs + 1);
        return new IncidentBook(policy, snapshot.Live, snapshot.LastIncidentId, watermark, snapshot.Members);
    }
}
