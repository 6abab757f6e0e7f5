using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using Helpdesk.Monitoring.Diagnostics;
using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>
/// Owns the incident decider and writes its decisions: one batch at a time, decide in memory, commit to the store
/// (retrying until it succeeds), then settle the receipts. If the store says some events were applied already, the
/// in-memory state is stale: it is rebuilt from the store and the batch decided again.
/// </summary>
public sealed class IncidentCommitter
{
    private readonly IIncidentStore _store;
    private readonly IDeadLetterSink _deadLetters;
    private IncidentPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Action<string, Exception?> _log;
    private readonly Polly.ResiliencePipeline _commitRetries;
    private readonly Polly.ResiliencePipeline _storeRetries;
    private readonly SharedStateSync _sync;
    private readonly HelpdeskMetrics _metrics;
    private readonly StoreWatch _storeWatch;
    private readonly AppliedEventPruning _pruning;

    // Copied on subscribe (rare, at start-up), read on every turn without a lock.
    private IIncidentEventSubscriber[] _subscribers;

    // One plan for every batch, cleared before each decision: its lists keep their capacity. New lists for each batch
    // of thousands made large-object arrays every turn (8 % of what a Kafka batch of changes allocated), and each
    // counts toward a full collection of the whole heap. Turns run one at a time, and nothing keeps the plan's lists
    // past the turn (the store, the shared state and the subscribers read them during it).
    private readonly CommitPlan _plan = new();

    private IncidentCommitter(IIncidentStore store, IDeadLetterSink deadLetters, IncidentPolicy policy, PipelineOptions options, TimeProvider time,
        HelpdeskMetrics metrics, Action<string, Exception?> log, IncidentDecider decider)
    {
        _metrics = metrics;
        _storeWatch = new StoreWatch(time);
        _pruning = new AppliedEventPruning(store, options, log);
        _subscribers = [new IncidentEventCounters(metrics)];
        _store = store;
        _deadLetters = deadLetters;
        _policy = policy;
        _time = time;
        _log = log;
        _commitRetries = StoreRetries.ForCommit(options, time, metrics, log);
        _storeRetries = StoreRetries.UntilDone(options, time, metrics, log);
        _sync = new SharedStateSync(options, metrics, log);
        Decider = decider;
    }

    public IncidentDecider Decider { get; private set; }

    /// <summary>
    /// The outbound channels each incident event goes to: the commit writes one delivery per event and channel, in
    /// its transaction. Null: no channel, nothing queued.
    /// </summary>
    public Func<OutboundEvent, IEnumerable<string>>? Route { get; set; }

    /// <summary>
    /// The policy in force, asked before each turn: when it is another one (the rules file was reloaded), the decider
    /// takes it up before deciding anything more. Null: the policy the committer opened with, for good.
    /// </summary>
    public Func<IncidentPolicy>? PolicyInForce { get; set; }

    /// <summary>How long a foldable event (an update, a correlated alert, a note) waits for the ones after it: see <see cref="Delivery"/>.</summary>
    public TimeSpan FoldWindow { get; set; }

    private int _rebuildRequested;

    /// <summary>
    /// How long the store has gone without doing what was asked (failing, or stuck on one call); zero once a call
    /// succeeds. A healthy store shows the length of the call in progress, milliseconds.
    /// </summary>
    public TimeSpan StoreFailingFor() => _storeWatch.FailingFor();

    /// <summary>
    /// Asks for the state to be rebuilt from the store before the next batch is decided: another instance may have
    /// changed incidents this one will now decide for (Kafka partitions moved here).
    /// </summary>
    public void RequestRebuild() => Volatile.Write(ref _rebuildRequested, 1);

    /// <summary>
    /// The state shared with other instances (scale-out: Redis). Written after each batch's store commit and before its
    /// receipts settle (store, then shared state, then the Kafka offset); the write's answer brings what other
    /// instances changed. Read before a batch only when the decider has event ids it cannot place or that answer is older
    /// than <see cref="PipelineOptions.SharedStateFreshness"/>.
    /// </summary>
    public ISharedState Shared
    {
        get => _sync.State;
        set => _sync.State = value;
    }

    /// <summary>
    /// Adds a subscriber told of each committed batch's incident events, after the store holds them and the batch's
    /// receipts are settled. The metrics' incident counters are one from the start.
    /// </summary>
    public void Subscribe(IIncidentEventSubscriber subscriber) => _subscribers = [.. _subscribers, subscriber];

    /// <summary>Migrates the store and rebuilds the in-memory state from it.</summary>
    public static async Task<IncidentCommitter> OpenAsync(IIncidentStore store, IDeadLetterSink deadLetters, IncidentPolicy policy, PipelineOptions options,
        TimeProvider time, HelpdeskMetrics metrics, Action<string, Exception?> log, CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var decider = await LoadDeciderAsync(store, policy, time, cancellationToken);
        return new IncidentCommitter(store, deadLetters, policy, options, time, metrics, log, decider);
    }

    public async Task<BatchOutcome> ProcessAsync(IList<InboundNotification?> batch, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (PolicyInForce?.Invoke() is { } policy && !ReferenceEquals(policy, _policy))
        {
            _policy = policy;
            Decider.UsePolicy(policy);
        }

        if (Interlocked.Exchange(ref _rebuildRequested, 0) == 1)
        {
            await RebuildAsync(cancellationToken);
        }

        var outcomes = new ApplyOutcome[batch.Count];
        HashSet<Guid> knownApplied = [];
        await _sync.ReadAsync(() => Decider, RebuildAsync, batch, knownApplied, now, cancellationToken);
        for (var rebuilds = 0; ; rebuilds++)
        {
            await LookUpUnknownAsync(batch, knownApplied, cancellationToken);
            var plan = _plan;
            plan.Clear();
            await DecideAsync(batch, knownApplied, now, plan, outcomes, cancellationToken);
            Decider.ApplyTimers(now, plan);
            plan.Seal();
            if (Route is { } route)
            {
                plan.Route(route, now, FoldWindow);
            }
            var result = plan.IsEmpty ? CommitResult.Committed : await CommitAsync(plan, cancellationToken);
            if (result is { IsCommitted: true })
            {
                var notifications = batch.Any(static item => item is not null);
                if (notifications)
                {
                    CrashPoint.Reach(CrashPoint.CommitterAfterCommit);
                }

                await _sync.WriteAsync(Decider, plan, now, cancellationToken);
                if (notifications)
                {
                    CrashPoint.Reach(CrashPoint.CommitterBeforeSettle);
                }

                var outcome = Settle(batch, outcomes, plan, rebuilds);
                Publish(plan.IncidentEvents);
                await _pruning.RunIfDueAsync(now, cancellationToken);
                return outcome;
            }

            if (result is { ChangedElsewhere.Count: > 0 })
            {
                _metrics.CommitConflicted();
                _log($"incident(s) {string.Join(", ", result.ChangedElsewhere.Select(IncidentNumber.Format))} changed by another instance since this one "
                    + "read them; rebuilding state from the store and deciding the batch again", null);
            }
            else if (result is not null)
            {
                _log($"{result.AlreadyApplied.Count} event(s) were applied by an earlier run; rebuilding state from the store", null);
                knownApplied.UnionWith(result.AlreadyApplied);
            }

            await RebuildAsync(cancellationToken);
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
                var (committer, plan) = state;
                committer._storeWatch.Asked();
                var result = await committer._store.CommitAsync(plan, ct);
                committer._storeWatch.Worked();
                return result;
            }, (this, plan), cancellationToken);
        }
        catch (StoreUnavailableException) when (!cancellationToken.IsCancellationRequested)
        {
            // An outage, not a refusal of this plan: a rebuild would read the same state and decide the same plan
            // (reads still work on a full disk), so the plan waits for the store, and /readyz counts the wait.
            _metrics.CommitFailed();
            _log("the store still cannot take writes; the batch waits for it (the notifications stay in the spool or Kafka until they are committed)", null);
            return await WithRetryAsync(ct => _store.CommitAsync(plan, ct).AsTask(), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.CommitFailed();
            _log($"commit failed {StoreRetries.CommitAttempts} times; rebuilding state from the store and deciding the batch again", ex);
            return null;
        }
    }

    private async Task LookUpUnknownAsync(IList<InboundNotification?> batch, HashSet<Guid> knownApplied, CancellationToken cancellationToken)
    {
        List<Guid>? unknown = null;
        foreach (var item in batch)
        {
            if (item is not null && !knownApplied.Contains(item.EventId) && Decider.IsUnknown(item.EventId))
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
                    ? Decider.Apply(action, now, knownApplied.Contains(action.Id), plan)
                    : Decider.Apply(item.Record.Span, in item.Fields, now, knownApplied.Contains(item.Fields.EventId), plan);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug, not bad input: keep the record with the reason so it can be replayed once fixed.
                _log($"processing notification {item.EventId} failed; dead-lettered", ex);
                await _deadLetters.WriteAsync(new DeadLetter("pipeline", RejectReason.ProcessingFailed, ex.ToString(), item.Record, now), cancellationToken);
                _metrics.Rejected(RejectReason.ProcessingFailed, "pipeline");
                outcomes[i] = ApplyOutcome.Ignored;
            }
        }
    }

    private BatchOutcome Settle(IList<InboundNotification?> batch, ApplyOutcome[] outcomes, CommitPlan plan, int rebuilds)
    {
        // Counted per (type, outcome), before any receipt settles (a caller answered may read /metrics at once), then
        // settled per run of one receipt and outcome: a batch of thousands makes a handful of counter updates and one
        // update per request, not one of each per record.
        var counts = new Dictionary<(NotificationType, ApplyOutcome), int>();
        var count = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is not { } item)
            {
                continue;
            }

            count++;
            if (item.Action is { } action)
            {
                _metrics.AgentActed(action.Kind, outcomes[i]);
            }
            else
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, (item.Fields.Type, outcomes[i]), out _)++;
                _metrics.CommitTook(item.ReceivedTimestamp);
            }
        }

        foreach (var ((type, outcome), n) in counts)
        {
            _metrics.Committed(type, outcome, n);
        }

        IngestReceipt? run = null;
        var runOutcome = ApplyOutcome.Ignored;
        var runLength = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is not { } item)
            {
                continue;
            }

            if (!ReferenceEquals(item.Receipt, run) || outcomes[i] != runOutcome)
            {
                run?.Committed(runOutcome, runLength);
                (run, runOutcome, runLength) = (item.Receipt, outcomes[i], 0);
            }

            runLength++;
        }

        run?.Committed(runOutcome, runLength);
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

    private async Task<IncidentDecider> RebuildAsync(CancellationToken cancellationToken) =>
        Decider = await WithRetryAsync(ct => LoadDeciderAsync(_store, _policy, _time, ct), cancellationToken);

    private async Task<T> WithRetryAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        await _storeRetries.ExecuteAsync(static async (state, ct) =>
        {
            var (committer, operation) = state;
            committer._storeWatch.Asked();
            var result = await operation(ct);
            committer._storeWatch.Worked();
            return result;
        }, (this, operation), cancellationToken);

    private static async Task<IncidentDecider> LoadDeciderAsync(IIncidentStore store, IncidentPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(cancellationToken);

        // Ids created before now, or before the newest id ever applied, may be redeliveries: those ask the store.
        var watermark = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), snapshot.MaxEventUnixMs + 1);
        return new IncidentDecider(policy, snapshot.Live, snapshot.LastIncidentId, watermark, snapshot.Members, snapshot.Downtimes, snapshot.EarlyRecoveries);
    }
}
