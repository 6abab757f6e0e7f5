using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Telemetry;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Pipeline;

/// <summary>
/// What the committer counts for /metrics, counted exactly: these tests run alone (the instruments are process-wide), so
/// every measurement seen is theirs.
/// </summary>
[Collection(nameof(ProcessWideCollection))]
public sealed class CommitterMetricsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly HelpdeskMetrics _metrics = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, long Value, string Tags)> _measured = new();

    public CommitterMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measured.Enqueue((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_committed_batch_counts_each_notification_by_type_and_what_it_did()
    {
        var committer = await Open(Sqlite());

        await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem)), default);
        await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 1)), default);

        Assert.Equal(3, Sum("helpdesk_notifications_ingested"));
        Assert.Equal(2, Sum("helpdesk_notifications_ingested", "type=PROBLEM"));
        Assert.Equal(1, Sum("helpdesk_incidents_opened"));
        Assert.Equal(1, Sum("helpdesk_duplicates_dropped", "kind=repeat"));
        Assert.Equal(1, Sum("helpdesk_incidents_resolved"));
    }

    [Fact]
    public async Task An_agents_action_is_counted_by_action_and_outcome()
    {
        var committer = await Open(Sqlite());
        await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem)), default);

        var action = new AgentAction(Guid.CreateVersion7(), 1, AgentActionKind.Acknowledge, "alice", "on it");
        var outcome = await committer.ProcessAsync([new InboundNotification(action, new InboundBatch.IgnoredReceipt())], default);

        Assert.Equal([ApplyOutcome.Acknowledged], outcome.Outcomes);
        Assert.Equal(1, Sum("helpdesk_agent_actions", "action=acknowledge,outcome=acknowledged"));
        Assert.Equal(1, Sum("helpdesk_notifications_ingested"));
    }

    [Fact]
    public async Task Every_failed_commit_attempt_is_counted()
    {
        var committer = await Open(new CommitCountingStore(Sqlite(), failures: 2));

        await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem)), default);

        Assert.Equal(2, Sum("helpdesk_store_commit_failures"));
    }

    [Fact]
    public async Task A_commit_refused_because_another_instance_changed_the_incident_is_counted_as_a_conflict()
    {
        var first = await Open(Sqlite());
        await first.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem)), default);
        var second = await Open(Sqlite());

        await first.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 10)), default);
        var outcome = await second.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Acknowledgement, timeT: Records.T0 + 11)), default);

        Assert.Equal(1, outcome.Rebuilds);
        Assert.Equal(1, Sum("helpdesk_store_commit_conflicts"));
    }

    [Fact]
    public async Task An_unreachable_shared_state_is_counted_for_the_read_and_for_the_write()
    {
        // Its read fails: counted, and the batch's write is not tried within the pause that follows.
        var committer = await Open(Sqlite());
        committer.Shared = new UnreachableSharedState(reads: false);
        var outcome = await committer.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem)), default);
        Assert.Equal([ApplyOutcome.Opened], outcome.Outcomes);
        Assert.Equal(1, Sum("helpdesk_shared_state_failures", "operation=read"));
        Assert.Equal(0, Sum("helpdesk_shared_state_failures", "operation=write"));

        // Reads answer, writes fail: the write is counted.
        var other = await Open(Sqlite());
        other.Shared = new UnreachableSharedState(reads: true);
        await other.ProcessAsync(InboundBatch.Of(Records.Service(NotificationType.Problem, host: "web02")), default);
        Assert.Equal(1, Sum("helpdesk_shared_state_failures", "operation=write"));
    }

    [Fact]
    public async Task A_notification_the_core_fails_on_is_dead_lettered_with_the_failure_and_the_batch_goes_on()
    {
        var committer = await Open(Sqlite());

        // Fields that do not belong to the record (a bug between parser and core, never bad input): reading it throws.
        var longer = Records.Bytes(Records.Service(NotificationType.Problem, host: new string('h', 200)));
        var shorter = Records.Bytes(Records.Service(NotificationType.Problem, host: "x"));
        var broken = new InboundNotification(shorter, Records.Parse(longer), new InboundBatch.IgnoredReceipt());
        var outcome = await committer.ProcessAsync([broken, .. InboundBatch.Of(Records.Service(NotificationType.Problem, host: "db01"))], default);

        Assert.Equal([ApplyOutcome.Ignored, ApplyOutcome.Opened], outcome.Outcomes);
        var letter = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(_dir.Combine("dead-letter"), "*.json")))).RootElement;
        Assert.Equal(("pipeline", "processing_failed"), (letter.GetProperty("source").GetString(), letter.GetProperty("reason").GetString()));
        Assert.Equal(shorter, letter.GetProperty("payloadBase64").GetBytesFromBase64());
        Assert.Equal(1, Sum("helpdesk_notifications_dead_lettered", "reason=processing_failed,source=pipeline"));
    }

    private long Sum(string name, string tags = "") =>
        _measured.Where(m => m.Name == name && m.Tags.Contains(tags, StringComparison.Ordinal)).Sum(m => m.Value);

    private SqliteIncidentStore Sqlite() => new(new SqliteStoreOptions { Path = _dir.Combine("helpdesk.db") });

    private Task<IncidentCommitter> Open(IIncidentStore store) =>
        IncidentCommitter.OpenAsync(store, new DeadLetterDirectory(_dir.Combine("dead-letter")), new IncidentPolicy(),
            new PipelineOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(1) }, TimeProvider.System, _metrics, (_, _) => { }, default);

    private sealed class UnreachableSharedState(bool reads) : ISharedState
    {
        public ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken) =>
            reads ? ValueTask.FromResult(SharedView.Empty) : ValueTask.FromException<SharedView>(new IOException("redis unreachable (injected)"));

        public ValueTask<SharedView> WriteAsync(SharedUpdate update, long nowUnixSeconds, CancellationToken cancellationToken) =>
            ValueTask.FromException<SharedView>(new IOException("redis unreachable (injected)"));

        public ValueTask SeedAsync(IReadOnlyList<LiveIncident> live, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
