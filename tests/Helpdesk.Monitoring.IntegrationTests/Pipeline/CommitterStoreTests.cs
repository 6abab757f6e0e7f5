using Helpdesk.Monitoring.Telemetry;
using System.Collections.Concurrent;
using System.Diagnostics;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Pipeline;

/// <summary>How the committer uses its store: when it asks, how it backs off, and when it need not ask at all.</summary>
public sealed class CommitterStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_failed_commit_is_retried_after_100_ms_then_200_ms_on_the_committers_clock_and_each_failure_is_said()
    {
        var time = new TimerWatchingTime(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60));
        var log = new ConcurrentQueue<string>();
        var store = new CommitCountingStore(Sqlite(), failures: 2);
        var committer = await IncidentCommitter.OpenAsync(store, new DeadLetterDirectory(_dir.Combine("dead-letter")), new IncidentPolicy(),
            new PipelineOptions { MaxRetryDelay = TimeSpan.FromSeconds(10) }, time, new HelpdeskMetrics(), (message, _) => log.Enqueue(message), default);

        var processing = committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem)), default);
        foreach (var delay in new[] { 100, 200 })
        {
            // The back-off waits on the committer's clock: nothing is retried until that clock moves on.
            await Until(() => time.DueTimes.Count == delay / 100, $"the wait after failure {delay / 100}");
            time.Advance(TimeSpan.FromMilliseconds(delay));
        }

        var outcome = await processing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([ApplyOutcome.Opened], outcome.Outcomes);
        Assert.Equal(3, store.Commits);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], time.DueTimes);
        Assert.Equal(
            ["commit failed (attempt 1); retrying in 0.1s", "commit failed (attempt 2); retrying in 0.2s"],
            log.Where(m => m.StartsWith("commit failed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task After_a_restart_a_redelivery_from_a_clock_ahead_is_known_without_a_rebuild()
    {
        // Nagios' clock an hour ahead: its event ids carry times later than this machine's now.
        var ahead = DateTimeOffset.UtcNow.AddHours(1);
        var notifications = Enumerable.Range(0, 3)
            .Select(i => Records.Service(NotificationType.Problem, host: "h" + i, id: Guid.CreateVersion7(ahead.AddSeconds(i))))
            .ToArray();
        var first = await Open(Sqlite());
        Assert.All((await first.ProcessAsync(InboundBatch.Of(notifications), default)).Outcomes, o => Assert.Equal(ApplyOutcome.Opened, o));

        var restarted = await Open(Sqlite());
        var again = await restarted.ProcessAsync(InboundBatch.Of(notifications), default);

        Assert.All(again.Outcomes, o => Assert.Equal(ApplyOutcome.Redelivered, o));
        Assert.Equal(0, again.Rebuilds);
    }

    [Fact]
    public async Task A_turn_with_nothing_to_write_does_not_touch_the_store()
    {
        var store = new CommitCountingStore(Sqlite());
        var committer = await Open(store);

        await committer.ProcessAsync([], default);
        Assert.Equal(0, store.Commits);

        await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem)), default);
        Assert.Equal(1, store.Commits);
    }

    [Fact]
    public async Task Each_turn_gives_the_store_only_what_its_own_batch_decided()
    {
        // The committer keeps one plan and clears it for every turn: nothing of a large batch may ride along in the next.
        var store = new CommitCountingStore(Sqlite());
        var committer = await Open(store, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60)));
        var opened = Enumerable.Range(0, 50).Select(i => Records.Service(NotificationType.Problem, host: "h" + i)).ToArray();
        var repeat = Records.Service(NotificationType.Problem, host: "h7", timeT: Records.T0 + 1);
        var recovery = Records.Service(NotificationType.Recovery, host: "h8", state: AlertState.Ok, timeT: Records.T0 + 2);

        // Bounded, on a thread of its own: a plan still holding the last batch's applied ids would be refused by the
        // store, rebuilt and refused again without end, and the SQLite store never yields while it does.
        foreach (var batch in new[] { opened, [repeat], [recovery] })
        {
            await Task.Run(() => committer.ProcessAsync(InboundBatch.Of(batch), default)).WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(
            [
                new PlanSeen([], 50, 0, 0, 50),
                new PlanSeen([], 0, 0, 1, 0),
                new PlanSeen([], 0, 1, 0, 1),
            ],
            store.Plans.Select(p => p with { EventIds = [] }));
        Assert.Equal([.. opened.Select(n => n.EventId)], store.Plans[0].EventIds);
        Assert.Equal([repeat.EventId], store.Plans[1].EventIds);
        Assert.Equal([recovery.EventId], store.Plans[2].EventIds);
    }

    [Fact]
    public async Task Subscribers_are_told_the_committed_events_the_store_holds_and_one_that_fails_stops_nothing()
    {
        var store = Sqlite();
        var committer = await Open(store, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60)));
        var told = new Collector(store);
        committer.Subscribe(new Failing());
        committer.Subscribe(told);

        await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem)), default);
        await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem, timeT: Records.T0 + 1)), default);
        await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 2)), default);

        // Told once per committed batch with something to tell (a repeat tells nothing), each time already in the store.
        Assert.Equal([[IncidentEventKind.Opened], [IncidentEventKind.Resolved]], told.Batches.Select(b => b.Select(e => e.Kind).ToArray()));
        Assert.All(told.HeldByTheStoreWhenTold, Assert.True);
        Assert.Equal(told.Batches.SelectMany(b => b), (await store.GetAsync(1, default))!.Events);
    }

    private SqliteIncidentStore Sqlite() => new(new SqliteStoreOptions { Path = _dir.Combine("helpdesk.db") });

    private Task<IncidentCommitter> Open(IIncidentStore store, TimeProvider? time = null) =>
        IncidentCommitter.OpenAsync(store, new DeadLetterDirectory(_dir.Combine("dead-letter")), new IncidentPolicy(), new PipelineOptions(),
            time ?? TimeProvider.System, new HelpdeskMetrics(), (_, _) => { }, default);

    private static async Task Until(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), what + " never came");
            await Task.Delay(5);
        }
    }

    private sealed class Collector(SqliteIncidentStore store) : IIncidentEventSubscriber
    {
        public List<IReadOnlyList<IncidentEvent>> Batches { get; } = [];

        public List<bool> HeldByTheStoreWhenTold { get; } = [];

        public void Committed(IReadOnlyList<IncidentEvent> events)
        {
            Batches.Add(events.ToList());
            var held = store.GetAsync(events[0].IncidentId, default).AsTask().GetAwaiter().GetResult()!.Events;
            HeldByTheStoreWhenTold.Add(events.All(held.Contains));
        }
    }

    private sealed class Failing : IIncidentEventSubscriber
    {
        public void Committed(IReadOnlyList<IncidentEvent> events) => throw new InvalidOperationException("a subscriber's bug (injected)");
    }

    /// <summary>A fake clock that also says for how long each timer set on it waits.</summary>
    private sealed class TimerWatchingTime(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            DueTimes.Enqueue(dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
