using Helpdesk.Monitoring.Telemetry;
using Microsoft.Extensions.Time.Testing;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Pipeline;

/// <summary>The committer and the Rx pipeline over a real SQLite file.</summary>
public sealed class PipelineIntegrationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly List<SqliteIncidentStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Redeliveries_after_a_restart_are_found_in_the_store_and_change_nothing()
    {
        var batch = Batch(Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem, host: "db01"));
        var first = await Open(Store());
        var outcome = await first.ProcessAsync(batch.Items, default);
        Assert.Equal([ApplyOutcome.Opened, ApplyOutcome.Repeated, ApplyOutcome.Opened], outcome.Outcomes);

        // A new process: the same records come again (their spool files were not deleted before the crash).
        var second = await Open(Store());
        var again = await second.ProcessAsync(Batch(batch.Notifications).Items, default);
        Assert.All(again.Outcomes, o => Assert.Equal(ApplyOutcome.Redelivered, o));

        // Known from one look-up in the store before deciding, not from a commit the store refused.
        Assert.Equal(0, again.Rebuilds);
        Assert.Equal(2, second.Decider.LiveCount);
        Assert.Equal(2, (await _stores[^1].LoadAsync(default)).Live.Single(i => i.Host == "web01").AlertCount);
    }

    [Fact]
    public async Task Stale_state_is_rebuilt_from_the_store_instead_of_applying_twice()
    {
        var storeA = Store();
        var a = await Open(storeA);
        var b = await Open(Store());
        var problem = Records.Service(NotificationType.Problem);
        await a.ProcessAsync(Batch(problem).Items, default);

        // b decided on state from before a's commit: the store refuses, b rebuilds and sees a redelivery.
        var outcome = await b.ProcessAsync(Batch(problem, Records.Service(NotificationType.Problem)).Items, default);
        Assert.Equal(1, outcome.Rebuilds);
        Assert.Equal([ApplyOutcome.Redelivered, ApplyOutcome.Repeated], outcome.Outcomes);
        Assert.Equal(2, (await storeA.LoadAsync(default)).Live.Single().AlertCount);
    }

    [Fact]
    public async Task An_instance_that_changed_an_incident_another_instance_changed_first_decides_again_on_the_stores_state()
    {
        var storeA = Store();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60));
        var a = await Open(storeA, time);
        await a.ProcessAsync(Batch(Records.Service(NotificationType.Problem)).Items, default);
        var b = await Open(Store(), time);

        // Both hold the open incident; a resolves it, then b (not knowing) records an acknowledgement on its copy.
        await a.ProcessAsync(Batch(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 10)).Items, default);
        var acknowledgement = Records.Service(NotificationType.Acknowledgement, timeT: Records.T0 + 20);
        var outcome = await b.ProcessAsync(Batch(acknowledgement).Items, default);

        // The store refused b's first plan (timeline entry 2 was a's); b rebuilt and decided on the resolved incident.
        Assert.Equal(1, outcome.Rebuilds);
        var detail = (await storeA.GetAsync(1, default))!;
        Assert.Equal(IncidentStatus.Resolved, detail.Incident.Status);
        Assert.Equal([TimelineKind.Opened, TimelineKind.Resolved], detail.Timeline.Select(e => e.Kind));
        Assert.Equal([acknowledgement.EventId], await storeA.FindAppliedAsync([acknowledgement.EventId], default));
    }

    [Fact]
    public async Task A_failing_store_is_retried_until_the_commit_lands()
    {
        var flaky = new FlakyStore(Store(), failures: 2);
        var committer = await Open(flaky);
        var outcome = await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem)).Items, default);
        Assert.Equal([ApplyOutcome.Opened], outcome.Outcomes);
        Assert.Equal(3, flaky.Attempts);
        Assert.Single((await flaky.LoadAsync(default)).Live);
    }

    [Fact]
    public async Task A_redelivery_of_a_week_old_event_id_is_a_no_op_even_after_pruning()
    {
        // Nagios' clock eight days behind (or a replayed spool): the id's own time is older than the retention.
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0));
        var store = Store();
        var committer = await Open(store, time);
        var old = Records.Service(NotificationType.Problem, id: Guid.CreateVersion7(DateTimeOffset.FromUnixTimeSeconds(Records.T0 - 8 * 86_400)));
        Assert.Equal([ApplyOutcome.Opened], (await committer.ProcessAsync(Batch(old).Items, default)).Outcomes);

        // A prune ran right after (the first batch prunes at once); the retry comes from a new process, which must
        // ask the store about the old id.
        var again = await (await Open(Store(), time)).ProcessAsync(Batch(old).Items, default);
        Assert.Equal([ApplyOutcome.Redelivered], again.Outcomes);
        Assert.Equal(1, (await store.LoadAsync(default)).Live.Single().AlertCount);
    }

    [Fact]
    public async Task A_store_failing_past_the_grace_is_reported_and_the_report_clears_on_the_next_commit()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0));
        var flaky = new FlakyStore(Store(), failures: 3);
        var committer = await Open(flaky, time);
        var failingFor = new List<TimeSpan>();

        // Each attempt takes 20 s; before it, the test reads what /readyz would read.
        flaky.OnAttempt = () =>
        {
            lock (failingFor)
            {
                failingFor.Add(committer.StoreFailingFor());
            }

            time.Advance(TimeSpan.FromSeconds(20));
        };

        // The retry back-off waits on the same clock: it moves on in small steps until the batch commits.
        var processing = committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem)).Items, default);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!processing.IsCompleted)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the batch never committed");
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(5);
        }

        await processing;

        // Counted from the start of the first failed attempt and growing by each attempt and its back-off; zero again
        // once a commit lands.
        Assert.Equal(4, failingFor.Count);
        Assert.Equal(TimeSpan.Zero, failingFor[0]);
        for (var i = 1; i < failingFor.Count; i++)
        {
            var step = failingFor[i] - failingFor[i - 1];
            Assert.True(step >= TimeSpan.FromSeconds(20) && step < TimeSpan.FromSeconds(25), $"attempt {i}: {step}");
        }

        Assert.Equal(TimeSpan.Zero, committer.StoreFailingFor());
    }

    [Fact]
    public async Task A_wall_clock_step_moves_deadlines_with_it_and_never_fires_one_twice_or_makes_the_store_look_failing()
    {
        var monotonic = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0));
        var clock = new SteppedClock(monotonic);
        var store = Store();
        var committer = await Open(store, clock);
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, timeT: Records.T0)).Items, default);
        async Task<int> EscalationsAfterTickAsync()
        {
            monotonic.Advance(TimeSpan.FromSeconds(1));
            await committer.ProcessAsync([null], default);
            return (await store.GetAsync(1, default))!.Timeline.Count(t => t.Kind == TimelineKind.Escalated);
        }

        // L1 has 15 minutes. NTP steps the wall clock 10 minutes forward, then 10 more: the deadline is an instant on
        // the wall clock, so it passes at the step, on the next tick, and the store never looked failing meanwhile.
        clock.Step(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await EscalationsAfterTickAsync());
        clock.Step(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await EscalationsAfterTickAsync());
        Assert.Equal(TimeSpan.Zero, committer.StoreFailingFor());

        // Stepped back half an hour and forward again: nothing fires twice, nothing is taken back.
        clock.Step(TimeSpan.FromMinutes(-30));
        Assert.Equal(1, await EscalationsAfterTickAsync());
        clock.Step(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await EscalationsAfterTickAsync());
    }

    [Fact]
    public async Task How_long_the_store_has_failed_is_counted_on_the_monotonic_clock_whatever_the_wall_clock_does()
    {
        var monotonic = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0));
        var clock = new SteppedClock(monotonic);
        var flaky = new FlakyStore(Store(), failures: 1);
        var committer = await Open(flaky, clock);
        var seen = new List<TimeSpan>();

        // The second attempt, 2 s into the outage, reads what /readyz reads with the wall clock an hour ahead, then behind.
        flaky.OnAttempt = () =>
        {
            if (committer.StoreFailingFor() > TimeSpan.Zero)
            {
                clock.Step(TimeSpan.FromHours(1));
                seen.Add(committer.StoreFailingFor());
                clock.Step(TimeSpan.FromHours(-2));
                seen.Add(committer.StoreFailingFor());
            }

            monotonic.Advance(TimeSpan.FromSeconds(2));
        };
        var processing = committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem)).Items, default);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!processing.IsCompleted)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the batch never committed");
            monotonic.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(5);
        }

        await processing;
        Assert.Equal(2, seen.Count);
        Assert.All(seen, failing => Assert.InRange(failing, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)));
    }

    /// <summary>A wall clock an operator or NTP can step, over a monotonic clock that only moves forward.</summary>
    private sealed class SteppedClock(FakeTimeProvider monotonic) : TimeProvider
    {
        private TimeSpan _offset;

        public void Step(TimeSpan by) => _offset += by;

        public override DateTimeOffset GetUtcNow() => monotonic.GetUtcNow() + _offset;

        public override long GetTimestamp() => monotonic.GetTimestamp();

        public override long TimestampFrequency => monotonic.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            monotonic.CreateTimer(callback, state, dueTime, period);
    }

    [Fact]
    public async Task A_commit_refused_again_and_again_rebuilds_the_state_and_decides_the_batch_again()
    {
        var flaky = new FlakyStore(Store(), failures: 6);
        var committer = await Open(flaky);
        var outcome = await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem)).Items, default);
        Assert.Equal(1, outcome.Rebuilds);
        Assert.Equal([ApplyOutcome.Opened, ApplyOutcome.Repeated], outcome.Outcomes);
        Assert.Equal(7, flaky.Attempts);
        Assert.Equal(2, (await flaky.LoadAsync(default)).Live.Single().AlertCount);
    }

    [Fact]
    public async Task The_rx_pipeline_commits_everything_in_batches_and_settles_every_receipt()
    {
        var store = Store();
        var committer = await Open(store);
        using var source = new Subject<InboundNotification>();
        var batches = new List<BatchOutcome>();
        using var subscription = IncidentPipeline
            .Build(source, committer, new PipelineOptions { BatchSize = 100, BatchWindow = TimeSpan.FromMilliseconds(5) }, TaskPoolScheduler.Default)
            .Subscribe(b => { lock (batches) { batches.Add(b); } });

        var receipts = new List<TaskReceipt>();
        for (var i = 0; i < 1000; i++)
        {
            var record = Records.Bytes(Records.Service(NotificationType.Problem, host: "h" + (i % 40), timeT: Records.T0 + i));
            var receipt = new TaskReceipt();
            receipts.Add(receipt);
            source.OnNext(new InboundNotification(record, Records.Parse(record), receipt));
        }

        var outcomes = await Task.WhenAll(receipts.Select(r => r.Outcome)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(40, outcomes.Count(o => o == ApplyOutcome.Opened));
        Assert.Equal(960, outcomes.Count(o => o == ApplyOutcome.Repeated));
        lock (batches)
        {
            Assert.True(batches.Count >= 10, $"{batches.Count} batches");
            Assert.All(batches, b => Assert.True(b.Notifications <= 100));
        }

        Assert.Equal(1000, (await store.LoadAsync(default)).Live.Sum(i => i.AlertCount));
    }

    [Fact]
    public async Task Under_load_the_shared_states_answer_to_a_write_stands_in_for_the_next_read()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60));
        var committer = await IncidentCommitter.OpenAsync(Store(), new DeadLetterDirectory(_dir.Combine("dead-letter")), new IncidentPolicy(),
            new PipelineOptions { SharedStateFreshness = TimeSpan.FromMilliseconds(100) }, time, new HelpdeskMetrics(), (_, _) => { }, default);
        var shared = new CountingSharedState();
        committer.Shared = shared;

        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "a")).Items, default);
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "b")).Items, default);
        Assert.Equal((1, 2), (shared.Reads, shared.Writes));

        // Idle for longer than the freshness: the next batch reads first.
        time.Advance(TimeSpan.FromSeconds(1));
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "c")).Items, default);
        Assert.Equal((2, 3), (shared.Reads, shared.Writes));
    }

    [Fact]
    public async Task What_arrives_while_a_commit_runs_is_committed_together_right_after_it()
    {
        var gated = new GatedStore(Store());
        var committer = await Open(gated);
        using var source = new Subject<InboundNotification>();
        var batches = new List<BatchOutcome>();
        using var subscription = IncidentPipeline
            .Build(source, committer, new PipelineOptions { TickInterval = TimeSpan.FromHours(1) }, TaskPoolScheduler.Default)
            .Subscribe(b => { lock (batches) { batches.Add(b); } });

        var receipts = new List<TaskReceipt>();
        void Push(int i)
        {
            var record = Records.Bytes(Records.Service(NotificationType.Problem, host: "h" + i, timeT: Records.T0 + i));
            receipts.Add(new TaskReceipt());
            source.OnNext(new InboundNotification(record, Records.Parse(record), receipts[^1]));
        }

        // The first notification is committed at once, with no window to wait for; its commit is held while nine more
        // arrive, and those nine go to the store together as soon as it is free (group commit).
        Push(0);
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 1; i < 10; i++)
        {
            Push(i);
        }

        gated.Release();
        await Task.WhenAll(receipts.Select(r => r.Outcome)).WaitAsync(TimeSpan.FromSeconds(30));

        // Receipts settle inside a batch's processing; its outcome reaches the subscriber just after.
        for (var waited = 0; waited < 100 && Count() < 10; waited++)
        {
            await Task.Delay(50);
        }

        lock (batches)
        {
            Assert.Equal([1, 9], batches.Where(b => b.Notifications > 0).Select(b => b.Notifications));
        }

        int Count()
        {
            lock (batches)
            {
                return batches.Sum(b => b.Notifications);
            }
        }
    }

    [Fact]
    public async Task Receipts_interleaved_in_a_batch_each_settle_every_record_with_its_own_outcome()
    {
        // Two requests' records arrive interleaved: each receipt is told of each of its records, in runs.
        var committer = await Open(Store());
        var (first, second) = (new CountingReceipt(), new CountingReceipt());
        var batch = new (Notification Notification, CountingReceipt Receipt)[]
        {
            (Records.Service(NotificationType.Problem, host: "web01"), first),
            (Records.Service(NotificationType.Problem, host: "web01"), first),
            (Records.Service(NotificationType.Problem, host: "db01"), second),
            (Records.Service(NotificationType.Problem, host: "web01"), first),
            (Records.Service(NotificationType.Problem, host: "db01"), second),
        }.Select(r =>
        {
            var record = Records.Bytes(r.Notification);
            return (InboundNotification?)new InboundNotification(record, Records.Parse(record), r.Receipt);
        }).ToList();
        batch.Add(batch[0]);

        var outcome = await committer.ProcessAsync(batch, default);

        Assert.Equal([ApplyOutcome.Opened, ApplyOutcome.Repeated, ApplyOutcome.Opened, ApplyOutcome.Repeated, ApplyOutcome.Repeated, ApplyOutcome.Redelivered], outcome.Outcomes);
        Assert.Equal([(ApplyOutcome.Redelivered, 1), (ApplyOutcome.Opened, 1), (ApplyOutcome.Repeated, 2)], first.Counts.OrderBy(c => c.Key).Select(c => (c.Key, c.Value)));
        Assert.Equal([(ApplyOutcome.Opened, 1), (ApplyOutcome.Repeated, 1)], second.Counts.OrderBy(c => c.Key).Select(c => (c.Key, c.Value)));
    }

    [Fact]
    public async Task A_receipt_settles_only_after_the_commit_that_holds_its_effect()
    {
        var gated = new GatedStore(Store());
        var committer = await Open(gated);
        using var source = new Subject<InboundNotification>();
        using var subscription = IncidentPipeline.Build(source, committer, new PipelineOptions { TickInterval = TimeSpan.FromHours(1) }, TaskPoolScheduler.Default).Subscribe();
        var receipt = new TaskReceipt();
        var record = Records.Bytes(Records.Service(NotificationType.Problem));
        source.OnNext(new InboundNotification(record, Records.Parse(record), receipt));

        // The commit has started and is held: the spool file may not be deleted, nor the HTTP caller answered, yet.
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Yield();
        Assert.False(receipt.Outcome.IsCompleted);

        gated.Release();
        Assert.Equal(ApplyOutcome.Opened, await receipt.Outcome.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_shared_state_is_written_only_after_the_store_holds_the_batch()
    {
        var store = Store();
        var committer = await Open(store);
        var shared = new StoreFirstSharedState(store);
        committer.Shared = shared;

        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem, host: "db01")).Items, default);

        Assert.Equal(2, shared.WrittenIds);
        Assert.Equal(0, shared.WrittenBeforeTheStore);
    }

    [Fact]
    public async Task In_virtual_time_the_pipeline_batches_by_window_and_closes_after_the_verification_hold()
    {
        var scheduler = new HistoricalScheduler(DateTimeOffset.FromUnixTimeSeconds(Records.T0));
        var store = Store();
        var committer = await IncidentCommitter.OpenAsync(store, new DeadLetterDirectory(_dir.Combine("dead-letter")),
            new IncidentPolicy { VerificationHold = TimeSpan.FromMinutes(10) }, new PipelineOptions(), new SchedulerTime(scheduler), new HelpdeskMetrics(), (_, _) => { }, default);
        using var source = new Subject<InboundNotification>();
        var batches = new List<BatchOutcome>();
        using var subscription = IncidentPipeline
            .Build(source, committer, new PipelineOptions { BatchWindow = TimeSpan.FromMilliseconds(5), TickInterval = TimeSpan.FromSeconds(1) }, scheduler)
            .Subscribe(batches.Add);

        Push(source, Records.Service(NotificationType.Problem, timeT: Records.T0));
        Push(source, Records.Service(NotificationType.Recovery, state: Notifications.AlertState.Ok, timeT: Records.T0));
        Assert.Empty(batches);

        // Nothing happens until the window has passed: not a millisecond before; then the batch commits (SQLite here
        // is synchronous).
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(4));
        Assert.Empty(batches);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        Assert.Equal([ApplyOutcome.Opened, ApplyOutcome.Resolved], Assert.Single(batches).Outcomes);

        scheduler.AdvanceBy(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(2));
        Assert.Equal(Incidents.IncidentStatus.Resolved, (await store.GetAsync(1, default))!.Incident.Status);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(3));
        var closed = (await store.GetAsync(1, default))!;
        Assert.Equal(Incidents.IncidentStatus.Closed, closed.Incident.Status);
        Assert.Equal(Incidents.TimelineKind.Closed, closed.Timeline[^1].Kind);
        Assert.Equal(1, batches.Sum(b => b.Closed));
    }

    private static void Push(Subject<InboundNotification> source, Notification n)
    {
        var record = Records.Bytes(n);
        source.OnNext(new InboundNotification(record, Records.Parse(record), new TaskReceipt()));
    }

    private SqliteIncidentStore Store()
    {
        var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = _dir.Combine("helpdesk.db") });
        _stores.Add(store);
        return store;
    }

    private Task<IncidentCommitter> Open(IIncidentStore store, TimeProvider? time = null) =>
        IncidentCommitter.OpenAsync(store, new DeadLetterDirectory(_dir.Combine("dead-letter")), new IncidentPolicy(), new PipelineOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(50) },
            time ?? TimeProvider.System, new HelpdeskMetrics(), (_, _) => { }, default);

    private static (List<InboundNotification?> Items, Notification[] Notifications) Batch(params Notification[] notifications) =>
        (notifications.Select(n =>
        {
            var record = Records.Bytes(n);
            return (InboundNotification?)new InboundNotification(record, Records.Parse(record), new TaskReceipt());
        }).ToList(), notifications);

    /// <summary>The committer's clock follows the Rx scheduler's virtual clock.</summary>
    private sealed class SchedulerTime(IScheduler scheduler) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => scheduler.Now;
    }

    private sealed class CountingReceipt : IngestReceipt
    {
        public Dictionary<ApplyOutcome, int> Counts { get; } = [];

        public override void Committed(ApplyOutcome outcome) => Committed(outcome, 1);

        public override void Committed(ApplyOutcome outcome, int count) => Counts[outcome] = Counts.GetValueOrDefault(outcome) + count;
    }

    private sealed class TaskReceipt : IngestReceipt
    {
        private readonly TaskCompletionSource<ApplyOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ApplyOutcome> Outcome => _done.Task;

        public override void Committed(ApplyOutcome outcome) => _done.TrySetResult(outcome);
    }

    [Fact]
    public async Task Old_applied_ids_are_pruned_once_per_interval_and_again_at_once_while_a_full_slice_comes_back()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60));
        var store = new PruneCountingStore(Store());
        var options = new PipelineOptions { PruneInterval = TimeSpan.FromHours(1), AppliedEventRetention = TimeSpan.FromDays(7) };
        var committer = await IncidentCommitter.OpenAsync(store, new DeadLetterDirectory(_dir.Combine("dead-letter")), new IncidentPolicy(), options, time, new HelpdeskMetrics(), (_, _) => { }, default);

        // The first batch prunes, with the retention's cutoff and a bounded slice; the next, in the same interval, does not.
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "a")).Items, default);
        Assert.Equal([(time.GetUtcNow() - TimeSpan.FromDays(7), 10_000)], store.Prunes);
        time.Advance(TimeSpan.FromMinutes(59));
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "b")).Items, default);
        Assert.Single(store.Prunes);

        // At the interval it prunes again; a full slice means more is waiting: the next batch prunes at once.
        time.Advance(TimeSpan.FromMinutes(1));
        store.Answer = 10_000;
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "c")).Items, default);
        store.Answer = 3;
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "d")).Items, default);
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "e")).Items, default);
        Assert.Equal(3, store.Prunes.Count);

        // A failing prune is logged and retried at the next interval; the batch commits regardless.
        store.Fail = true;
        time.Advance(TimeSpan.FromHours(1));
        var outcome = await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "f")).Items, default);
        Assert.Equal([ApplyOutcome.Opened], outcome.Outcomes);
        Assert.Equal(4, store.Prunes.Count);
    }

    [Fact]
    public async Task Other_instances_storm_rate_is_what_the_shared_state_counts_beyond_this_instances_own()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60));
        var committer = await Open(Store(), time);
        var shared = new ScriptedSharedState { NewProblemsLastMinute = 50 };
        committer.Shared = shared;

        // Each batch's read and write say 50 in the last minute; after this instance's own problem, 49 are others'.
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "a", timeT: Records.T0 + 60)).Items, default);
        Assert.Equal(49, committer.Decider.OtherInstancesStormRate);

        // Never below zero when the shared count lags behind this instance's own.
        shared.NewProblemsLastMinute = 0;
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "b", timeT: Records.T0 + 60)).Items, default);
        Assert.Equal(0, committer.Decider.OtherInstancesStormRate);
    }

    [Fact]
    public async Task A_shared_state_that_asks_for_a_rebuild_is_seeded_from_the_store_and_one_that_fails_costs_nothing()
    {
        var store = Store();
        var committer = await Open(store);
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "a")).Items, default);

        var shared = new ScriptedSharedState { RebuildOnRead = true };
        committer.Shared = shared;
        await committer.ProcessAsync(Batch(Records.Service(NotificationType.Problem, host: "b")).Items, default);
        Assert.Equal(["a"], shared.Seeded.Select(i => i.Record!.Host));

        // Unreachable: the batch is decided with the store (a redelivery is still found there) and commits.
        var redelivered = Records.Service(NotificationType.Problem, host: "c");
        await committer.ProcessAsync(Batch(redelivered).Items, default);
        committer.Shared = new ScriptedSharedState { Fail = true };
        var outcome = await committer.ProcessAsync(Batch(redelivered, Records.Service(NotificationType.Problem, host: "d")).Items, default);
        Assert.Equal([ApplyOutcome.Redelivered, ApplyOutcome.Opened], outcome.Outcomes);
        Assert.Equal(4, (await store.LoadAsync(default)).Live.Count);
    }

    /// <summary>Counts the committer's round trips to the shared state (Redis's own behaviour is tested on redis-server).</summary>
    private sealed class CountingSharedState : ISharedState
    {
        public int Reads { get; private set; }

        public int Writes { get; private set; }

        public ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken)
        {
            Reads++;
            return ValueTask.FromResult(SharedView.Empty);
        }

        public ValueTask<SharedView> WriteAsync(SharedUpdate update, long nowUnixSeconds, CancellationToken cancellationToken)
        {
            Writes++;
            return ValueTask.FromResult(SharedView.Empty);
        }

        public ValueTask SeedAsync(IReadOnlyList<LiveIncident> live, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Checks, at every write, that the store already holds every event id being shared.</summary>
    private sealed class StoreFirstSharedState(IIncidentStore store) : ISharedState
    {
        public int WrittenIds { get; private set; }

        public int WrittenBeforeTheStore { get; private set; }

        public ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SharedView.Empty);

        public async ValueTask<SharedView> WriteAsync(SharedUpdate update, long nowUnixSeconds, CancellationToken cancellationToken)
        {
            var applied = await store.FindAppliedAsync(update.Applied, cancellationToken);
            WrittenIds += update.Applied.Count;
            WrittenBeforeTheStore += update.Applied.Count(id => !applied.Contains(id));
            return SharedView.Empty;
        }

        public ValueTask SeedAsync(IReadOnlyList<LiveIncident> live, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>A store whose first commit waits until the test lets it go.</summary>
    private sealed class GatedStore(IIncidentStore inner) : PassThroughStore(inner)
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _gate.TrySetResult();

        public override async ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _gate.Task;
            return await base.CommitAsync(plan, cancellationToken);
        }
    }

    private sealed class FlakyStore(IIncidentStore inner, int failures) : PassThroughStore(inner)
    {
        public int Attempts { get; private set; }

        public Action OnAttempt { get; set; } = static () => { };

        public override ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
        {
            OnAttempt();
            if (++Attempts > failures)
            {
                return base.CommitAsync(plan, cancellationToken);
            }

            return ValueTask.FromException<CommitResult>(new IOException("disk unavailable (injected)"));
        }
    }

    /// <summary>Records each prune the committer asks for and answers a chosen count (or fails).</summary>
    private sealed class PruneCountingStore(IIncidentStore inner) : PassThroughStore(inner)
    {
        public List<(DateTimeOffset Before, int MaxRows)> Prunes { get; } = [];

        public int Answer { get; set; }

        public bool Fail { get; set; }

        public override ValueTask<int> PruneAppliedEventsAsync(DateTimeOffset createdBefore, int maxRows, CancellationToken cancellationToken)
        {
            Prunes.Add((createdBefore, maxRows));
            return Fail ? ValueTask.FromException<int>(new IOException("prune failed (injected)")) : ValueTask.FromResult(Answer);
        }
    }

    /// <summary>A shared state that answers what the test sets: a storm count, a rebuild request, or a failure.</summary>
    private sealed class ScriptedSharedState : ISharedState
    {
        public int NewProblemsLastMinute { get; set; }

        public bool RebuildOnRead { get; set; }

        public bool Fail { get; set; }

        public List<LiveIncident> Seeded { get; } = [];

        public ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken) =>
            Fail ? ValueTask.FromException<SharedView>(new IOException("shared state down (injected)"))
                : ValueTask.FromResult(new SharedView(new HashSet<Guid>(), NewProblemsLastMinute) { RebuildFromStore = RebuildOnRead && Seeded.Count == 0 });

        public ValueTask<SharedView> WriteAsync(SharedUpdate update, long nowUnixSeconds, CancellationToken cancellationToken) =>
            Fail ? ValueTask.FromException<SharedView>(new IOException("shared state down (injected)"))
                : ValueTask.FromResult(new SharedView(new HashSet<Guid>(), NewProblemsLastMinute));

        public ValueTask SeedAsync(IReadOnlyList<LiveIncident> live, CancellationToken cancellationToken)
        {
            Seeded.AddRange(live);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A real store underneath; the test stores change only how commits go.</summary>
    private abstract class PassThroughStore(IIncidentStore inner) : IIncidentStore
    {
        public ValueTask InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public ValueTask<StoreSnapshot> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public ValueTask<IReadOnlySet<Guid>> FindAppliedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken) =>
            inner.FindAppliedAsync(eventIds, cancellationToken);

        public virtual ValueTask<int> PruneAppliedEventsAsync(DateTimeOffset createdBefore, int maxRows, CancellationToken cancellationToken) =>
            inner.PruneAppliedEventsAsync(createdBefore, maxRows, cancellationToken);

        public virtual ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken) => inner.CommitAsync(plan, cancellationToken);
    }
}
