using Confluent.Kafka;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// What librdkafka says of the configured settings before anything runs. It looks at names and values only when a
/// client is made, so a misspelt property (<c>Helpdesk:Kafka:Properties</c>, the relay's <c>--property</c>) would
/// otherwise stop the service or the relay once running, with a stack trace, again at every restart. A client is made
/// here without brokers (so it reaches nothing) and let go at once.
/// </summary>
public static class KafkaSettingsCheck
{
    /// <summary>Why the client refuses the producer settings (the relay's, the service's dead letters), or null.</summary>
    public static string? ProducerRefusal(KafkaOptions options) =>
        Refusal(() => new ProducerBuilder<byte[], byte[]>(WithoutBrokers(KafkaProducerSettings.For(options)))
            .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build());

    /// <summary>Why the client refuses the service's consumer settings, or null.</summary>
    public static string? ConsumerRefusal(KafkaOptions options) =>
        Refusal(() => new ConsumerBuilder<byte[], byte[]>(WithoutBrokers(KafkaSource.ConsumerConfig(options)))
            .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build());

    private static Dictionary<string, string> WithoutBrokers(ClientConfig config) =>
        config.Where(setting => setting.Key != "bootstrap.servers").ToDictionary(setting => setting.Key, setting => setting.Value);

    private static string? Refusal(Func<IDisposable> make)
    {
        try
        {
            make().Dispose();
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return $"the Kafka client refuses the settings: {ex.Message}";
        }
    }
}
