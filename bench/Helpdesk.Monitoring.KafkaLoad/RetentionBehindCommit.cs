using Confluent.Kafka;
using Helpdesk.Monitoring.Testing;

namespace Helpdesk.Monitoring.KafkaLoad;

/// <summary>
/// Retention for the mock cluster (<c>--retention commit</c>): every half second, drops each partition's records
/// below the service group's committed offset. A real broker finds a fetch's offset through its index whatever the
/// log's length; the mock walks its log from the oldest batch, so without this every fetch gets dearer as the run
/// goes on, up to the mock's own cap of 5 MB a partition, and the mock's thread takes CPU the service would use.
/// Nothing the service has not committed is dropped, so every record still reaches it.
/// </summary>
internal sealed class RetentionBehindCommit : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RetentionBehindCommit(KafkaMockCluster cluster, string bootstrapServers, string groupId, string topic, int partitions)
    {
        _loop = Task.Run(() => Trim(cluster, bootstrapServers, groupId, topic, partitions, _stop.Token));
    }

    /// <summary>Records dropped so far, for the run's report.</summary>
    public long Dropped { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void Trim(KafkaMockCluster cluster, string bootstrapServers, string groupId, string topic, int partitions, CancellationToken stop)
    {
        // Never subscribes, so it never joins the group: it only reads the group's committed offsets.
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = groupId, EnableAutoCommit = false }).Build();
        var all = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var trimmed = new long[partitions];
        while (!stop.WaitHandle.WaitOne(Every))
        {
            List<TopicPartitionOffset> committed;
            try
            {
                committed = reader.Committed(all, TimeSpan.FromSeconds(5));
            }
            catch (KafkaException)
            {
                continue;
            }

            foreach (var c in committed)
            {
                var p = c.Partition.Value;
                if (!c.Offset.IsSpecial && c.Offset.Value > trimmed[p])
                {
                    cluster.DeleteRecordsBefore(topic, p, c.Offset.Value);
                    Dropped += c.Offset.Value - trimmed[p];
                    trimmed[p] = c.Offset.Value;
                }
            }
        }
    }
}
