using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>
/// The committer's conversation with the state other instances share (scale-out: Redis): read before a batch is decided
/// only when the decider has ids it cannot place or the last answer is older than
/// <see cref="PipelineOptions.SharedStateFreshness"/>; written after the store commit. Each answer brings what other
/// instances changed, which the decider absorbs. The store stays the truth: an unreachable shared state only costs store
/// look-ups, and one that was emptied or reset makes the committer rebuild from the store and seed it again.
/// </summary>
internal sealed class SharedStateSync(PipelineOptions options, HelpdeskMetrics metrics, Action<string, Exception?> log)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    // How long the last answer stands in for a read; only this class reads or moves it.
    private DateTimeOffset _freshUntil = DateTimeOffset.MinValue;

    // While the shared state does not answer, batches do not wait on it: each call to a Redis that is down takes the
    // client's timeout (two seconds), which held every batch that long. It is asked again after a pause that doubles
    // up to LongestPause; the outage is logged when it begins and when it ends, and every failure is counted.
    private DateTimeOffset _askAgainAt = DateTimeOffset.MinValue;
    private TimeSpan _pause = TimeSpan.Zero;
    private int _failedInOutage;

    public ISharedState State { get; set; } = NoSharedState.Instance;

    /// <summary>
    /// Ids other instances applied (added to <paramref name="knownApplied"/>), their storm rate, and the incidents they
    /// changed, absorbed into the decider. When the shared state asks for it, <paramref name="rebuild"/> rebuilds the decider
    /// from the store first, and the shared state is seeded with it.
    /// </summary>
    public async Task ReadAsync(Func<IncidentDecider> decider, Func<CancellationToken, Task<IncidentDecider>> rebuild, IList<InboundNotification?> batch,
        HashSet<Guid> knownApplied, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (State is NoSharedState || now < _askAgainAt)
        {
            return;
        }

        // Only ids this decider cannot place ask: ids created after its watermark and not seen are new (partitions that
        // move here rebuild the decider, which moves the watermark past everything another instance could have applied).
        var ids = new List<Guid>();
        foreach (var item in batch)
        {
            if (item is not null && decider().IsUnknown(item.EventId))
            {
                ids.Add(item.EventId);
            }
        }

        // The last write's answer is recent (under load, milliseconds): nothing to ask that it did not already say.
        if (ids.Count == 0 && now < _freshUntil)
        {
            return;
        }

        try
        {
            var view = await State.ReadAsync(ids, now.ToUnixTimeSeconds(), cancellationToken);
            knownApplied.UnionWith(view.Applied);
            if (view.RebuildFromStore)
            {
                // Empty or reset (restart, flush, new cluster), or this instance fell behind its change log.
                log("shared state empty or reset, or this instance fell behind its change log; rebuilding from the store", null);
                var rebuilt = await rebuild(cancellationToken);
                await State.SeedAsync(rebuilt.ExportLive(), cancellationToken);
            }

            Take(decider(), view, now);
            Answered();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed("read", ex, now);
        }
    }

    /// <summary>After the store commit: this batch's ids, new problems and changed incidents, for the other instances.</summary>
    public async Task WriteAsync(IncidentDecider decider, CommitPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (State is NoSharedState || plan.IsEmpty)
        {
            return;
        }

        if (now < _askAgainAt)
        {
            // Not written: the other instances ask the store for what this batch changed, as after a failed write.
            return;
        }

        try
        {
            var view = await State.WriteAsync(new SharedUpdate(plan.Events.Select(e => e.EventId).ToList(), plan.NewProblemsBySecond)
            {
                Incidents = decider.Export(plan),
            }, now.ToUnixTimeSeconds(), cancellationToken);
            if (view.RebuildFromStore)
            {
                // Emptied or reset since the last read: the next batch reads, which rebuilds and seeds.
                _freshUntil = DateTimeOffset.MinValue;
                return;
            }

            Take(decider, view, now);
            Answered();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store holds the truth: a missed write only means other instances ask the store instead.
            Failed("write", ex, now);
        }
    }

    private void Failed(string operation, Exception ex, DateTimeOffset now)
    {
        metrics.SharedStateFailed(operation);
        _freshUntil = DateTimeOffset.MinValue;
        _pause = _pause == TimeSpan.Zero ? FirstPause : TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, LongestPause.Ticks));
        _askAgainAt = now + _pause;
        if (_failedInOutage++ == 0)
        {
            log($"shared state unreachable ({ex.GetBaseException().Message}): this instance decides with the store and its own view, and the "
                + $"others ask the store for its changes; it is asked again in {FirstPause.TotalSeconds:0} s, then less often, up to every "
                + $"{LongestPause.TotalSeconds:0} s (failures are counted in helpdesk_shared_state_failures_total)", null);
        }
    }

    private void Answered()
    {
        if (_failedInOutage > 0)
        {
            log($"shared state answers again, after {_failedInOutage} failed attempts", null);
        }

        _failedInOutage = 0;
        _pause = TimeSpan.Zero;
    }

    /// <summary>Absorbs what other instances changed and their storm rate; the answer stands in for a read for a while.</summary>
    private void Take(IncidentDecider decider, SharedView view, DateTimeOffset now)
    {
        foreach (var incident in view.Changed)
        {
            decider.Absorb(incident);
        }

        foreach (var member in view.ChangedMembers)
        {
            decider.Absorb(member);
        }

        decider.OtherInstancesStormRate = Math.Max(0, view.NewProblemsLastMinute - decider.OwnStormRate(now.ToUnixTimeSeconds()));
        _freshUntil = now + options.SharedStateFreshness;
    }
}
