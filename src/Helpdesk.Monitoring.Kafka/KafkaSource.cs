using System.Reactive.Linq;
using Confluent.Kafka;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Telemetry;
using Helpdesk.Monitoring.Diagnostics;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// The scale-out source of the pipeline: consumes the topic in a consumer group (cooperative-sticky; optional static
/// membership) and parses each record straight from the message bytes. An offset is stored for commit only when the
/// effects of every record up to it are durable in the store (<see cref="OffsetTracker"/>); records of a partition
/// stay in order through the single pipeline. Unparseable records go to the dead-letter topic with the reason in
/// headers. When partitions are assigned, the committer rebuilds its state from the store before deciding their records;
/// when they are revoked, the hand-over waits until their in-flight records are durable and committed.
/// </summary>
public sealed class KafkaSource(KafkaOptions options, TimeProvider time, Action<string, Exception?> log)
{
    private static readonly TimeSpan HandOverTimeout = TimeSpan.FromSeconds(30);

    // Long enough to ride out a checkpoint or a burst at the bound; short enough that a rebalance waits little for
    // the poll that serves it.
    private static readonly TimeSpan HoldBeforePause = TimeSpan.FromSeconds(2);
    private readonly OffsetTracker _offsets = new();
    private readonly TimeProvider _time = time;
    private readonly KafkaErrorLog _consumerErrors = new("kafka consumer", log, time);
    private readonly SemaphoreSlim _room = new(0);

    // The subscribed topic's partitions, made once each: a consumed record carries only its partition's number
    // (see ConsumeResultFields), and a TopicPartition per record would be garbage on every one. Consumer thread only.
    private TopicPartition[] _partitions = [];
    private long _lag;
    private long _fullSince;
    private volatile bool _stopping;

    /// <summary>Called on the consumer thread when partitions are assigned, before any of their records is emitted.</summary>
    public Action? PartitionsAssigned { get; set; }

    /// <summary>Each record whose effect is committed, with the time since it was produced (for <see cref="KafkaMetrics"/>).</summary>
    /// <summary>Told of every record this source refused and dead-lettered, with the reason: the metrics count it.</summary>
    public event Action<RejectReason>? Rejected;

    public event Action<TimeSpan>? RecordCommitted;

    /// <summary>Messages in the assigned partitions not yet durable and committed (high watermark − commit position).</summary>
    public long Lag => Interlocked.Read(ref _lag);

    public int InFlight => _offsets.Count;

    /// <summary>Whether the partitions are paused because the store has taken nothing for a while (see <see cref="Throttle"/>).</summary>
    public bool Paused => _paused;

    private volatile bool _paused;

    /// <summary>How many partitions this instance owns now (cooperative rebalancing changes it piece by piece).</summary>
    public int AssignedPartitions => Volatile.Read(ref _assigned);

    private int _assigned;

    public IObservable<InboundNotification> Notifications =>
        Observable.Create<InboundNotification>((observer, cancellationToken) =>
            Task.Factory.StartNew(() => Consume(observer, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    /// <summary>The consumer settings: manual offset store after durability, auto commit of stored offsets.</summary>
    public static ConsumerConfig ConsumerConfig(KafkaOptions options)
    {
        // A copy: the ClientConfig constructor wraps the dictionary it is given, and would write our settings into it.
        var config = new ConsumerConfig(new Dictionary<string, string>(options.Properties))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            EnablePartitionEof = false,

            // Only the timestamp (for the record-to-commit time): the topic is the one subscribed, and headers are
            // not read, so neither is copied into managed memory for every record.
            ConsumeResultFields = "timestamp",
        };
        if (!options.Properties.ContainsKey("fetch.wait.max.ms"))
        {
            // An idle partition's fetch waits at most 10 ms: part of the p99 ≤ 25 ms record-to-commit budget. The
            // price is ~100 fetch requests/s per broker while idle; raise it through Properties if that matters more.
            config.FetchWaitMaxMs = 10;
        }

        if (!options.Properties.ContainsKey("auto.commit.interval.ms"))
        {
            // Stored (durable) offsets are committed every second: what a crash makes the next owner read again.
            config.AutoCommitIntervalMs = 1000;
        }

        if (options.GroupInstanceId.Length > 0)
        {
            config.GroupInstanceId = options.GroupInstanceId;
        }

        return config;
    }

    private void Consume(IObserver<InboundNotification> observer, CancellationToken cancellationToken)
    {
        using var consumer = BuildConsumer();
        var deadLetterErrors = new KafkaErrorLog("kafka: dead-letter producer", log, _time);
        using var deadLetters = new ProducerBuilder<byte[]?, byte[]?>(KafkaProducerSettings.For(options))
            .SetErrorHandler((_, e) =>
            {
                if (e.EndsTheClient())
                {
                    log($"kafka: the dead-letter producer failed for good ({e.Reason}); valid records go on, but the next record that must be dead-lettered stops the service (it stays in the topic)", null);
                    return;
                }

                deadLetterErrors.Report(e);
            })
            .SetLogHandler(KafkaErrorLog.OwnLog(options.Properties, log))
            .Build();
        consumer.Subscribe(options.Topic);
        var lagMeasured = _time.GetTimestamp();
        var intake = Intake.Open;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_time.GetElapsedTime(lagMeasured) >= TimeSpan.FromSeconds(1))
                {
                    lagMeasured = _time.GetTimestamp();
                    MeasureLag(consumer);
                }

                StoreDurablePositions(consumer);
                intake = Throttle(consumer, intake, cancellationToken);
                if (intake == Intake.Holding)
                {
                    continue;
                }

                ConsumeResult<byte[]?, byte[]?>? result;
                try
                {
                    result = consumer.Consume(intake == Intake.Paused ? TimeSpan.Zero : TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException ex) when (ex.Error.EndsTheClient())
                {
                    // The client is unusable (another member fenced this one, for example: the same group.instance.id
                    // configured twice); every later call fails at once. Ending the source stops the service with an
                    // error, and its supervisor starts a fresh client; what was not committed is read again.
                    throw new InvalidOperationException(
                        $"the Kafka consumer failed for good ({ex.Error.Reason}); if two instances share one Helpdesk:Kafka:GroupInstanceId, give each its own", ex);
                }
                catch (ConsumeException ex)
                {
                    log($"kafka consume failed: {ex.Error.Reason}", null);
                    continue;
                }

                if (result?.Message is not null)
                {
                    // Even while paused a record already fetched may come: it is taken like any other, never dropped.
                    Take(result, observer, deadLetters);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // Stopping: the pipeline is going away, so in-flight records will not settle; the hand-over must not wait
            // for them (they are read again after the restart, and recognised as applied where they were).
            _stopping = true;
            Close(consumer);
        }

        observer.OnCompleted();
    }

    /// <summary>The consumer, with the handlers that follow partitions as the group moves them.</summary>
    private IConsumer<byte[]?, byte[]?> BuildConsumer() =>
        new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig(options))
            .SetPartitionsAssignedHandler((c, partitions) =>
            {
                log($"kafka: assigned {string.Join(", ", partitions.Select(p => p.Partition.Value))}", null);
                Interlocked.Add(ref _assigned, partitions.Count);
                NoteCommitted(c, partitions);
                PartitionsAssigned?.Invoke();
            })
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                Interlocked.Add(ref _assigned, -partitions.Count);
                HandOver(c, partitions.Select(p => p.TopicPartition).ToList());
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                log($"kafka: lost {partitions.Count} partitions; their records will be read again by the new owner", null);
                Interlocked.Add(ref _assigned, -partitions.Count);
                _offsets.Forget(partitions.Select(p => p.TopicPartition));
            })
            .SetErrorHandler((_, e) => _consumerErrors.Report(e))
            .SetLogHandler(KafkaErrorLog.OwnLog(options.Properties, log))
            .Build();

    /// <summary>
    /// Bounded memory while the store is slow or down: with <see cref="KafkaOptions.MaxInFlight"/> records unsettled,
    /// take no more and wait a little for room. A short wait only holds: librdkafka stops fetching by itself once its
    /// own queue is full (queued.max.messages.kbytes) and keeps what it fetched. Pausing would throw that away (every
    /// paused partition's prefetch is purged and fetched again after the resume), which under a storm at the bound
    /// turned a busy moment into a collapse: refetching fell behind, so the bound was hit again. Only a store that
    /// stays full for <see cref="HoldBeforePause"/> gets the partitions paused, so that polling can go on (the
    /// group's rebalances and max.poll.interval.ms) however long the outage lasts. Resumes when commits made room.
    /// </summary>
    private Intake Throttle(IConsumer<byte[]?, byte[]?> consumer, Intake intake, CancellationToken cancellationToken)
    {
        if (_offsets.Count < options.MaxInFlight)
        {
            if (intake == Intake.Paused)
            {
                log("kafka: the store takes records again; resuming the partitions", null);
                consumer.Resume(consumer.Assignment);
                _paused = false;
            }

            return Intake.Open;
        }

        if (intake == Intake.Open)
        {
            _fullSince = _time.GetTimestamp();
            intake = Intake.Holding;
        }
        else if (intake == Intake.Holding && _time.GetElapsedTime(_fullSince) >= HoldBeforePause)
        {
            log($"kafka: {_offsets.Count} records have waited for the store for {HoldBeforePause.TotalSeconds:0} s; pausing the partitions until it takes them", null);
            consumer.Pause(consumer.Assignment);
            _paused = true;
            intake = Intake.Paused;
        }

        _room.Wait(TimeSpan.FromMilliseconds(100), cancellationToken);
        return intake;
    }

    private void Take(ConsumeResult<byte[]?, byte[]?> result, IObserver<InboundNotification> observer, IProducer<byte[]?, byte[]?> deadLetters)
    {
        var value = result.Message.Value ?? [];
        var partition = Partition(result.Partition.Value);
        var offset = result.Offset.Value;
        _offsets.Taken(partition, offset);
        if (NotificationParser.TryParse(value, out var fields, out var failure))
        {
            observer.OnNext(new InboundNotification(value, in fields, new KafkaReceipt(this, partition, offset, result.Message.Timestamp.UnixTimestampMs)));
        }
        else
        {
            DeadLetter(deadLetters, result.Message, new TopicPartitionOffset(partition, offset), failure);
        }
    }

    private TopicPartition Partition(int number)
    {
        if (number >= _partitions.Length)
        {
            Array.Resize(ref _partitions, number + 1);
        }

        return _partitions[number] ??= new TopicPartition(options.Topic, number);
    }

    /// <summary>
    /// A poison record: to the dead-letter topic with the reason in headers, and only once that is acknowledged is its
    /// offset settled (in order with the records around it).
    /// </summary>
    private void DeadLetter(IProducer<byte[]?, byte[]?> producer, Message<byte[]?, byte[]?> message, TopicPartitionOffset offset, ParseFailure failure)
    {
        var headers = new Headers
        {
            { "helpdesk-reason", System.Text.Encoding.UTF8.GetBytes(RejectReasons.Label(failure.Reason)) },
            { "helpdesk-message", System.Text.Encoding.UTF8.GetBytes(failure.Message) },
            { "helpdesk-source", System.Text.Encoding.UTF8.GetBytes($"{offset.Topic}/{offset.Partition.Value}@{offset.Offset.Value}") },
        };
        for (var attempt = 0; ; attempt++)
        {
            // The consume loop runs on a thread of its own and must not move past a poison record before it is kept:
            // it waits here for the broker's acknowledgement (a delivery report, not a blocked task).
            using var acknowledged = new ManualResetEventSlim();
            Error? error = null;
            producer.Produce(options.DeadLetterTopic, new Message<byte[]?, byte[]?> { Key = message.Key, Value = message.Value, Headers = headers },
                report =>
                {
                    error = report.Error;
                    acknowledged.Set();
                });
            acknowledged.Wait();
            if (error is not { IsError: true } failed)
            {
                break;
            }

            if (attempt >= 5)
            {
                throw new ProduceException<byte[]?, byte[]?>(failed, new DeliveryResult<byte[]?, byte[]?>());
            }

            log($"kafka: dead-lettering {offset} failed ({failed.Reason}); retrying", null);
        }

        Rejected?.Invoke(failure.Reason);
        Settled(offset.TopicPartition, offset.Offset.Value);
    }

    private void Settled(TopicPartition partition, long offset)
    {
        _offsets.Done(partition, offset);

        // A signal, not a count: thousands of settled records must not let a later wait for room return at once
        // thousands of times while the bound is still full.
        if (_room.CurrentCount == 0)
        {
            _room.Release();
        }
    }

    /// <summary>
    /// Stores, for the next commit, the positions that settled records moved (on the consumer's thread, once per
    /// partition however many records settled since the last time).
    /// </summary>
    private void StoreDurablePositions(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_offsets.TakeUnstored() is not { } positions)
        {
            return;
        }

        foreach (var position in positions)
        {
            try
            {
                CrashPoint.Reach(CrashPoint.KafkaBeforeOffsetStore);
                consumer.StoreOffset(position);
            }
            catch (KafkaException ex)
            {
                // The partition moved to another instance meanwhile: it reads from the last commit, and the store
                // recognises what was applied already.
                log($"kafka: cannot store offset {position}: {ex.Error.Reason}", null);
            }
        }
    }

    /// <summary>Revoked partitions: wait until their in-flight records are durable, then commit, then let them go.</summary>
    private void HandOver(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        var started = _time.GetTimestamp();
        while (!_stopping && _offsets.PendingIn(partitions) > 0 && _time.GetElapsedTime(started) < HandOverTimeout)
        {
            _room.Wait(TimeSpan.FromMilliseconds(50));
        }

        StoreDurablePositions(consumer);
        Commit(consumer);
        _offsets.Forget(partitions);
        log($"kafka: handed over {string.Join(", ", partitions.Select(p => p.Partition.Value))}", null);
    }

    private void Close(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            StoreDurablePositions(consumer);
            Commit(consumer);
            consumer.Close();
        }
        catch (KafkaException ex)
        {
            log($"kafka: closing the consumer failed: {ex.Error.Reason}", null);
        }
    }

    private void Commit(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last commit.
        }
        catch (KafkaException ex)
        {
            log($"kafka: commit failed: {ex.Error.Reason}", null);
        }
    }

    /// <summary>
    /// Lag from what the client already knows (no broker round trip on the consumer thread): the high watermark of the
    /// last fetch minus where a commit would stand (see <see cref="OffsetTracker.Position"/>), or minus the low
    /// watermark when nothing is known of the partition.
    /// </summary>
    private void MeasureLag(IConsumer<byte[]?, byte[]?> consumer)
    {
        long lag = 0;
        foreach (var partition in consumer.Assignment)
        {
            var marks = consumer.GetWatermarkOffsets(partition);
            if (marks.High.Value < 0)
            {
                continue;
            }

            var position = _offsets.Position(partition) ?? Math.Max(0, marks.Low.Value);
            lag += Math.Max(0, marks.High.Value - position);
        }

        Interlocked.Exchange(ref _lag, lag);
    }

    /// <summary>
    /// Where the group's commit stands for newly assigned partitions: the lag's base until this instance stores its own
    /// (after a takeover it would otherwise count the whole partition). One round trip per assignment; on failure the
    /// lag counts from the low watermark for a while.
    /// </summary>
    private void NoteCommitted(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        try
        {
            foreach (var committed in consumer.Committed(partitions, TimeSpan.FromSeconds(5)))
            {
                if (!committed.Offset.IsSpecial)
                {
                    _offsets.Assigned(committed.TopicPartition, committed.Offset.Value);
                }
            }
        }
        catch (KafkaException ex)
        {
            log($"kafka: committed offsets of the new partitions unknown ({ex.Error.Reason}); lag counts from the low watermark until the first commit", null);
        }
    }

    private sealed class KafkaReceipt(KafkaSource source, TopicPartition partition, long offset, long producedUnixMs) : IngestReceipt
    {
        public override void Committed(ApplyOutcome outcome)
        {
            source.RecordCommitted?.Invoke(source._time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(producedUnixMs));
            source.Settled(partition, offset);
        }
    }

    /// <summary>How the consumer takes records: freely, holding at the in-flight bound, or with its partitions paused.</summary>
    private enum Intake
    {
        Open,
        Holding,
        Paused,
    }
}
