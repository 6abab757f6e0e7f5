using Helpdesk.Monitoring.Telemetry;
using Microsoft.Extensions.Time.Testing;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Redis;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Helpdesk.Monitoring.Topology;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Redis;

/// <summary>
/// Incident state shared through a real redis-server by two instances (two committers over one SQLite file, as two
/// service processes over one store): what one decides, the other decides with; Redis emptied or gone loses nothing.
/// </summary>
public sealed class SharedIncidentsIntegrationTests : IAsyncLifetime
{
    private static readonly string Network = ObjectsCacheText.Hosts(("core01", null), ("switch01", "core01"));

    private readonly TempDirectory _dir = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60));
    private RedisProcess _redis = null!;
    private SqliteIncidentStore _store = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _store = Own(new SqliteIncidentStore(new SqliteStoreOptions { Path = _dir.Combine("helpdesk.db") }));
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await _redis.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Incidents_written_by_one_instance_reach_the_other_once_newest_first_and_never_their_writer()
    {
        var a = await Shared();
        var b = await Shared();
        Assert.True((await a.ReadAsync([], 0, default)).RebuildFromStore);
        await a.SeedAsync([], default);
        Assert.True((await b.ReadAsync([], 0, default)).RebuildFromStore);
        await b.SeedAsync([], default);

        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var first = Plans.Decide(decider, Records.Service(NotificationType.Problem));
        var second = Plans.Decide(decider, Records.Service(NotificationType.Acknowledgement, timeT: Records.T0 + 5));
        await a.WriteAsync(Update(decider.Export(second)), 0, default);

        // An older copy written late (another instance's slow write) does not replace the newer one.
        var older = decider.Export(first)[0];
        await a.WriteAsync(Update([older with { Revision = 1, Record = older.Record! with { Status = IncidentStatus.Open } }]), 0, default);

        var seen = await b.ReadAsync([], 0, default);
        var incident = Assert.Single(seen.Changed);
        Assert.Equal((IncidentStatus.Acknowledged, 2), (incident.Record!.Status, incident.Revision));
        Assert.Empty((await b.ReadAsync([], 0, default)).Changed);
        Assert.Empty((await a.ReadAsync([], 0, default)).Changed);

        // A write answers with what others changed since (under load a batch needs no read of its own).
        var third = Plans.Decide(decider, Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 9));
        await a.WriteAsync(Update(decider.Export(third)), 0, default);
        var answer = await b.WriteAsync(Update([]), 0, default);
        Assert.Equal(IncidentStatus.Resolved, Assert.Single(answer.Changed).Record!.Status);
        Assert.Empty((await b.ReadAsync([], 0, default)).Changed);
    }

    [Fact]
    public async Task An_unreadable_shared_incident_sends_the_reader_to_the_store_once_and_not_again()
    {
        var reader = await Shared();
        await reader.ReadAsync([], 0, default);
        await reader.SeedAsync([], default);

        // What another version of the service might have written: a value this one cannot read.
        using (var other = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration))
        {
            var db = other.GetDatabase();
            var version = await db.StringIncrementAsync("{helpdesk}:state:version");
            await db.HashSetAsync("{helpdesk}:state:incidents", "77", "3|L|0123456789abcdef0123456789abcdef|{\"Id\": \"not a number\"");
            await db.SortedSetAddAsync("{helpdesk}:state:log", "77", version);
        }

        Assert.True((await reader.ReadAsync([], 0, default)).RebuildFromStore);
        await reader.SeedAsync([], default);
        var next = await reader.ReadAsync([], 0, default);
        Assert.False(next.RebuildFromStore);
        Assert.Empty(next.Changed);
    }

    [Fact]
    public async Task The_change_log_stays_bounded_and_a_reader_left_behind_is_sent_to_the_store()
    {
        var options = new RedisOptions { Configuration = _redis.Configuration, LogWindow = 10 };
        var writer = Own(await RedisSharedState.ConnectAsync(options));
        var reader = Own(await RedisSharedState.ConnectAsync(options));
        foreach (var state in new[] { writer, reader })
        {
            await state.ReadAsync([], 0, default);
            await state.SeedAsync([], default);
        }

        // 60 writes far past the window of 10, each an incident with 300 new members (more entries than a write used to
        // trim) and one closed incident.
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        for (var i = 0; i < 60; i++)
        {
            Plans.Decide(decider, Records.Host(NotificationType.Problem, host: $"core{i:00}", timeT: Records.T0 + i));
            var plan = Plans.Decide(decider, [.. Enumerable.Range(0, 300).Select(s =>
                Records.Service(NotificationType.Problem, host: $"core{i:00}", service: $"svc{s:000}", timeT: Records.T0 + i))]);
            await writer.WriteAsync(Update([.. decider.Export(plan), new LiveIncident(10_000 + i, 5, null, [])]), 0, default);
        }

        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var db = redis.GetDatabase();
        var logged = await db.SortedSetLengthAsync("{helpdesk}:state:log");
        Assert.InRange(logged, 1, 302 * (10 + 1));
        var fields = (await db.HashKeysAsync("{helpdesk}:state:incidents")).Select(f => (string)f!).ToList();
        Assert.DoesNotContain(fields, f => f.StartsWith("m:2:", StringComparison.Ordinal) || f == "10000");
        Assert.Contains("2", fields);

        Assert.True((await reader.ReadAsync([], 0, default)).RebuildFromStore);
    }

    [Fact]
    public async Task A_service_on_one_instance_joins_the_host_incident_another_instance_opened()
    {
        var a = await Committer(slot: 0);
        var b = await Committer(slot: 1);
        Assert.Equal([ApplyOutcome.Opened], (await a.ProcessAsync(Batch(Records.Host(NotificationType.Problem, host: "core01")), default)).Outcomes);
        Assert.Equal([ApplyOutcome.Correlated, ApplyOutcome.Correlated], (await b.ProcessAsync(Batch(
            Records.Service(NotificationType.Problem, host: "core01", service: "PING", timeT: Records.T0 + 5),
            Records.Host(NotificationType.Problem, host: "switch01", state: AlertState.Unreachable, timeT: Records.T0 + 6)), default)).Outcomes);

        // The host's instance sees the members: their recoveries and the host's decide the incident there.
        await a.ProcessAsync(Batch(Records.Host(NotificationType.Recovery, host: "core01", state: AlertState.Up, timeT: Records.T0 + 30)), default);
        var host = Assert.Single((await _store.LoadAsync(default)).Live);
        Assert.Equal(IncidentStatus.Open, host.Status);
        Assert.Equal([ApplyOutcome.Updated, ApplyOutcome.Resolved], (await a.ProcessAsync(Batch(
            Records.Service(NotificationType.Recovery, host: "core01", service: "PING", state: AlertState.Ok, timeT: Records.T0 + 31),
            Records.Host(NotificationType.Recovery, host: "switch01", state: AlertState.Up, timeT: Records.T0 + 32)), default)).Outcomes);
        var resolved = (await _store.GetAsync(host.Id, default))!;
        Assert.Equal(IncidentStatus.Resolved, resolved.Incident.Status);
        Assert.Equal(2, resolved.Members.Count);

        // b's next batch (or tick) takes the resolution up.
        Assert.Equal(1, b.Decider.ActiveCount);
        await b.ProcessAsync(Batch(), default);
        Assert.Equal(0, b.Decider.ActiveCount);
    }

    [Fact]
    public async Task An_emptied_redis_is_rebuilt_from_the_store_and_a_dead_one_costs_only_store_reads()
    {
        var a = await Committer(slot: 0);
        var b = await Committer(slot: 1);
        await a.ProcessAsync(Batch(Records.Host(NotificationType.Problem, host: "core01")), default);
        await b.ProcessAsync(Batch(), default);
        var id = Assert.Single((await _store.LoadAsync(default)).Live).Id;

        using (var admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.Configuration},allowAdmin=true"))
        {
            await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();
        }

        // b finds Redis empty, rebuilds from the store, seeds it; a takes up b's epoch and still knows its incident.
        Assert.Equal([ApplyOutcome.Correlated], (await b.ProcessAsync(Batch(
            Records.Service(NotificationType.Problem, host: "core01", service: "PING", timeT: Records.T0 + 5)), default)).Outcomes);
        Assert.Equal([ApplyOutcome.Repeated], (await a.ProcessAsync(Batch(
            Records.Service(NotificationType.Problem, host: "core01", service: "PING", timeT: Records.T0 + 5)), default)).Outcomes);

        // Redis gone: each instance decides with its own copy; the store refuses what a stale copy decided.
        _redis.Kill();
        await b.ProcessAsync(Batch(Records.Host(NotificationType.Acknowledgement, host: "core01", timeT: Records.T0 + 10)), default);
        var outcome = await a.ProcessAsync(Batch(Records.Host(NotificationType.Recovery, host: "core01", state: AlertState.Up, timeT: Records.T0 + 20)), default);
        Assert.Equal(1, outcome.Rebuilds);
        var detail = (await _store.GetAsync(id, default))!;
        Assert.Equal(
            [TimelineKind.Opened, TimelineKind.Correlated, TimelineKind.Acknowledged],
            detail.Timeline.Select(e => e.Kind).Take(3));
        Assert.Equal(AlertState.Up, detail.Incident.State);
    }

    private async Task<RedisSharedState> Shared() =>
        Own(await RedisSharedState.ConnectAsync(new RedisOptions { Configuration = _redis.Configuration }));

    [Fact]
    public async Task A_dead_redis_is_told_once_batches_do_not_wait_on_it_and_it_is_asked_again_after_a_pause()
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var metrics = new HelpdeskMetrics();
        var failures = 0L;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "helpdesk_shared_state_failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();
        var a = await Committer(slot: 0, (line, _) => lines.Enqueue(line), metrics);
        await a.ProcessAsync(Batch(Records.Host(NotificationType.Problem, host: "core01")), default);

        // Five batches within the first pause: one failed call, one line, and every batch committed.
        _redis.Kill();
        for (var i = 0; i < 5; i++)
        {
            await a.ProcessAsync(Batch(Records.Host(NotificationType.Problem, host: $"web{i}", timeT: Records.T0 + i)), default);
        }

        Assert.Equal(6, (await _store.LoadAsync(default)).Live.Count);
        Assert.Equal(1, Interlocked.Read(ref failures));
        var down = Assert.Single(lines, l => l.StartsWith("shared state unreachable (", StringComparison.Ordinal));
        Assert.EndsWith("it is asked again in 1 s, then less often, up to every 30 s (failures are counted in helpdesk_shared_state_failures_total)",
            down, StringComparison.Ordinal);

        // Back, and the pause over: the next batch asks it, finds it empty, rebuilds and seeds it, and says so.
        await _redis.RestartAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        await a.ProcessAsync(Batch(Records.Host(NotificationType.Problem, host: "web9", timeT: Records.T0 + 9)), default);
        Assert.Contains("shared state answers again, after 1 failed attempts", lines);
        Assert.Equal(1, Interlocked.Read(ref failures));
    }

    private async Task<IncidentCommitter> Committer(int slot, Action<string, Exception?>? log = null, HelpdeskMetrics? metrics = null)
    {
        var policy = new IncidentPolicy
        {
            IdSlot = slot,
            IdSlots = 2,
            Topology = new LiveTopology(ObjectsCacheReader.Read(new StringReader(Network))),
            Rules = new HelpdeskRules { Correlation = new CorrelationPolicy() },
        };
        var committer = await IncidentCommitter.OpenAsync(_store, new DeadLetterDirectory(_dir.Combine("dead-letter")), policy,
            new PipelineOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(50), SharedStateFreshness = TimeSpan.Zero }, _time, metrics ?? new HelpdeskMetrics(), log ?? ((_, _) => { }), default);
        committer.Shared = await Shared();
        return committer;
    }

    private T Own<T>(T owned)
        where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    private static SharedUpdate Update(IReadOnlyList<LiveIncident> incidents) => new([], new Dictionary<long, int>()) { Incidents = incidents };

    private static List<InboundNotification?> Batch(params Notification[] notifications) =>
        notifications.Select(n =>
        {
            var record = Records.Bytes(n);
            return (InboundNotification?)new InboundNotification(record, Records.Parse(record), new NoReceipt());
        }).ToList();

    private sealed class NoReceipt : IngestReceipt
    {
        public override void Committed(ApplyOutcome outcome)
        {
        }
    }
}
