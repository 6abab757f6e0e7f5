using System.Runtime.InteropServices;
using Confluent.Kafka;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Kafka;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Diagnostics;

namespace Helpdesk.Monitoring.Relay;

/// <summary>
/// <c>helpdesk-relay</c>: ships the local spool to the Kafka topic. Keyed by instance + host (one host, one partition,
/// in order); idempotent producer with acks=all. A spool file is deleted only after the broker acknowledged it; when
/// Kafka is down the client keeps the messages, in order, and the files stay, so Nagios, which only writes the spool,
/// never notices. A message the client refuses outright is offered again after a backoff (<see cref="RedeliveryBackoff"/>).
/// </summary>
public sealed class KafkaRelay(KafkaOptions options, SpoolSource spool, TimeProvider time, Action<string, Exception?> log)
{
    /// <summary>librdkafka's names for a message's local time limit, which the relay turns off (see <see cref="RunAsync"/>).</summary>
    public static readonly IReadOnlySet<string> TimeLimitSettings = new HashSet<string>(StringComparer.Ordinal) { "message.timeout.ms", "delivery.timeout.ms" };

    private static readonly TimeSpan QueueFullPause = TimeSpan.FromMilliseconds(20);

    private readonly RedeliveryBackoff _backoff = new(time);
    private long _delivered;
    private long _failed;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>
    /// Ships until <paramref name="cancellationToken"/> asks it to stop (true), or until the producer fails for good
    /// (false): a fatal error leaves librdkafka's producer unusable, every later delivery would fail, so the relay
    /// stops and its supervisor starts a fresh one; the files not acknowledged are still in the spool.
    /// </summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = KafkaProducerSettings.For(options);

        // No local time limit: librdkafka keeps each message, retrying in order, until a broker takes it. A message
        // that timed out would be offered again behind the later ones of its host and land after them (a PROBLEM
        // after the RECOVERY that ended it); while Kafka is down, the spool is where notifications wait anyway.
        config.MessageTimeoutMs = 0;
        var errors = new KafkaErrorLog("kafka", log, time);
        using var producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, e) =>
            {
                errors.Report(e);
                if (e.EndsTheClient())
                {
                    failed.TrySetException(new KafkaException(e));
                }
            })
            .SetLogHandler(KafkaErrorLog.OwnLog(options.Properties, log))
            .Build();
        using (spool.Notifications.Subscribe(item => Produce(producer, item, cancellationToken), error => failed.TrySetException(error)))
        {
            try
            {
                await failed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: hand over what is queued; anything unacknowledged stays in the spool for next time.
            }
            catch (KafkaException ex) when (ex.Error.EndsTheClient())
            {
                log($"the Kafka producer failed for good ({ex.Error.Reason}); stopping so that a fresh one takes over; the spool files Kafka did not acknowledge stay", null);
                return false;
            }
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        return true;
    }

    private void Produce(IProducer<byte[], byte[]> producer, InboundNotification item, CancellationToken stopping)
    {
        var value = MemoryMarshal.TryGetArray(item.Record, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : item.Record.ToArray();
        var message = new Message<byte[], byte[]> { Key = PartitionKey.Of(item.Record.Span, in item.Fields), Value = value };
        while (true)
        {
            if (stopping.IsCancellationRequested)
            {
                // Stopping: nothing new goes out, so nothing can overtake what stays in the spool for next time.
                item.Receipt.Abandoned();
                return;
            }

            try
            {
                producer.Produce(options.Topic, message, report => Settle(item, report.Error));
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's queue is full (queue.buffering.max.messages): wait for room with this file rather than
                // set it aside, which would let the next files of its host overtake it. The spool holds the rest.
                stopping.WaitHandle.WaitOne(QueueFullPause);
            }
            catch (ProduceException<byte[], byte[]> ex)
            {
                // The client refuses the message itself (larger than its message.max.bytes, say).
                Settle(item, ex.Error);
                return;
            }
        }
    }

    private void Settle(InboundNotification item, Error error)
    {
        var receipt = item.Receipt;
        if (error.Code == ErrorCode.MsgSizeTooLarge)
        {
            // Never taken however often it is offered: kept with the reason, and the host's later notifications go on.
            Interlocked.Increment(ref _failed);
            log($"a notification of {item.Record.Length} bytes is larger than Kafka takes ({error.Reason}); it is kept in the spool's rejected folder", null);
            receipt.Refused(new ParseFailure(RejectReason.Oversized,
                $"Kafka refused it as too large ({error.Reason}); the topic's max.message.bytes (and the relay's --property message.max.bytes) must be raised to take it"));
            return;
        }

        if (!error.IsError)
        {
            Interlocked.Increment(ref _delivered);
            _backoff.Delivered();
            CrashPoint.Reach(CrashPoint.RelayBeforeDelete);
            receipt.Committed(ApplyOutcome.Noted);
            return;
        }

        Interlocked.Increment(ref _failed);
        var backoff = _backoff.Failed(out var newRefusal);
        if (newRefusal)
        {
            log($"kafka delivery failed ({error.Reason}); the spool files Kafka did not take are kept and offered again in {backoff.TotalSeconds:0} s", null);
        }

        _ = Task.Delay(backoff, time).ContinueWith(_ => receipt.Abandoned(), TaskScheduler.Default);
    }
}
