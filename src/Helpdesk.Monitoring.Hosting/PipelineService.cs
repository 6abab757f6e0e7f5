using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Helpdesk.Monitoring.Hosting.Api;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Kafka;
using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Redis;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting;

/// <summary>
/// Runs the pipeline for the life of the service: rebuilds state from the store, then consumes the spool and HTTP
/// ingest. If the pipeline fails (a bug: bad input and store outages never end it) the service stops with an error,
/// so its supervisor restarts it and the state is rebuilt from the store; nothing committed is lost, nothing pending
/// is dropped (it is still in the spool, or its caller got no success answer).
/// </summary>
public sealed class PipelineService(
    IIncidentStore store, IDeadLetterSink deadLetters, SpoolSource spool, KafkaSource kafka, HttpIngest http, PipelineReadiness readiness, HelpdeskMetrics metrics,
    OutboundService outbound, LiveFeed live,
    IOptions<HelpdeskOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<PipelineService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        readiness.NotReady("rebuilding state from the store");
        var o = options.Value;
        IncidentCommitter committer;
        try
        {
            committer = await IncidentCommitter.OpenAsync(store, deadLetters, o.Incidents, o.Pipeline, time, metrics, Log, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An unreadable or newer database, a path without permission: say so and stop, do not serve half a service.
            readiness.NotReady("the store could not be opened");
            logger.LogCritical(ex,
                "Cannot open the incident store {Store}: {Reason}. If the database is damaged, keep it for analysis, move the data directory aside and restore the latest backup into a new one (helpdesk store restore; docs/operations.md, Recovery procedures)",
                o.StoreName, ex.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }

        RedisSharedState? shared = null;
        try
        {
            // Connecting never waits for Redis to be up (it reconnects in the background); only a malformed
            // configuration fails here.
            shared = o.Redis.Enabled ? await RedisSharedState.ConnectAsync(o.Redis, () => metrics.SharedStateFailed("connection")) : null;
        }
        catch (ArgumentException ex)
        {
            logger.LogCritical("Helpdesk:Redis:Configuration is not a valid Redis configuration: {Reason}", ex.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }

        // Each committed event is queued for the channels that want it, in the commit's transaction; the senders wake.
        outbound.StoreOpened();
        readiness.StoreOpened();
        committer.Route = outbound.Route;

        // A reload of the rules file replaces o.Incidents; the committer takes it up at its next turn.
        committer.PolicyInForce = () => o.Incidents;
        committer.FoldWindow = o.Outbound.FoldWindow;
        committer.Subscribe(outbound);
        committer.Subscribe(live);

        await using var sharedState = shared;
        if (shared is not null)
        {
            committer.Shared = shared;
        }

        metrics.ObserveActiveIncidents(() => committer.Decider.ActiveCount);
        metrics.ObserveRemembered(() => committer.Decider.DowntimeCount, () => committer.Decider.EarlyRecoveryCount);
        metrics.ObserveReady(() => readiness.IsReady ? 1 : 0);
        metrics.ObserveStoreFailing(() => committer.StoreFailingFor().TotalSeconds);
        using var spoolMetrics = new SpoolMetrics(spool);
        using var kafkaMetrics = o.ConsumesKafka ? new KafkaMetrics(kafka) : null;
        readiness.DegradedWhen(() => committer.StoreFailingFor() is var failing && failing > o.Pipeline.StoreFailureGrace
            ? $"the store {o.StoreName} has not completed a commit for {failing.TotalSeconds:0} s (failing or stuck; Helpdesk:Pipeline:StoreFailureGrace is {o.Pipeline.StoreFailureGrace.TotalSeconds:0} s); see the service log"
            : null);
        metrics.ObserveStorm(() => committer.Decider.StormActive ? 1 : 0);
        if (!o.UsesSqlServer)
        {
            // Read at each scrape: two stat calls. The write-ahead log counts, as it holds the newest commits.
            metrics.ObserveStoreSize(() => new[] { o.SqlitePath, o.SqlitePath + "-wal" }.Select(f => new FileInfo(f)).Where(f => f.Exists).Sum(f => f.Length));
        }
        IObservable<InboundNotification> source = spool.Notifications;
        if (o.ConsumesKafka)
        {
            var (librdkafka, problem) = KafkaNativeLibrary.Check();
            if (problem is not null)
            {
                readiness.NotReady("the Kafka client's native library is not the one it ships with");
                logger.LogCritical("Cannot consume from Kafka: {Problem}", problem);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }

            logger.LogInformation("Kafka client {Client} with librdkafka {Librdkafka}", typeof(Confluent.Kafka.Library).Assembly.GetName().Version, librdkafka);
            // Partitions that move here were decided elsewhere until now: rebuild from the store before deciding them.
            kafka.PartitionsAssigned = committer.RequestRebuild;
            source = kafka.Notifications;
        }

        logger.LogInformation("State rebuilt: {Live} live incidents, last incident id {LastId}", committer.Decider.LiveCount, committer.Decider.LastId);

        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The pipeline gets a thread of its own: its store writes block, and must not take thread-pool threads from
        // the HTTP requests waiting on them.
        using var pipelineThread = new EventLoopScheduler(start => new Thread(start) { Name = "helpdesk-pipeline", IsBackground = true });
        using var subscription = IncidentPipeline
            .Build(source.Merge(http.Notifications), committer, o.Pipeline, pipelineThread)
            .Subscribe(
                batch => logger.LogDebug("Committed {Count} notifications, {Incidents} incidents written", batch.Notifications, batch.IncidentsWritten),
                error => failed.TrySetException(error));
        readiness.Ready();
        logger.LogInformation("Pipeline running: source {Source}, store {Store}", o.ConsumesKafka ? $"kafka {o.Kafka.Topic} ({o.Kafka.GroupId})" : o.SpoolPath, o.StoreName);

        try
        {
            await failed.Task.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            readiness.NotReady("stopping");
        }
        catch (Exception ex)
        {
            readiness.NotReady("pipeline failed");
            logger.LogCritical(ex, "The pipeline failed; stopping so the supervisor restarts the service");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private void Log(string message, Exception? error)
    {
        if (error is null)
        {
            logger.LogWarning("{Message}", message);
        }
        else
        {
            logger.LogError(error, "{Message}", message);
        }
    }
}
