namespace Helpdesk.Monitoring.Kafka;

/// <summary>Helpdesk:Kafka: where notifications travel in the scale-out mode.</summary>
public sealed class KafkaOptions
{
    /// <summary>host:port,host:port of the brokers.</summary>
    public string BootstrapServers { get; set; } = "";

    public string Topic { get; set; } = "helpdesk.notifications";

    /// <summary>Where records that cannot be parsed go, with the reason in headers.</summary>
    public string DeadLetterTopic { get; set; } = "helpdesk.notifications.dead-letter";

    /// <summary>The consumer group: every service instance of one deployment uses the same.</summary>
    public string GroupId { get; set; } = "helpdesk-service";

    /// <summary>Optional static membership (group.instance.id): a restart within the session timeout keeps the partitions.</summary>
    public string GroupInstanceId { get; set; } = "";

    /// <summary>
    /// Records taken from Kafka but not yet durable in the store; consumption pauses beyond it. Twice the pipeline's
    /// batch size, so that a full batch can gather while the one before it commits.
    /// </summary>
    public int MaxInFlight { get; set; } = 40_000;

    /// <summary>
    /// More librdkafka settings, passed as they are (for example security.protocol, sasl.mechanism, ssl.ca.location);
    /// secrets here come from the environment (Helpdesk__Kafka__Properties__sasl.password), never a committed file.
    /// The settings the delivery guarantee rests on (idempotence, acks, offset storing and committing, the group's
    /// assignment strategy) are set by the service and cannot be overridden here; how often stored offsets are
    /// committed (auto.commit.interval.ms, 1 s) and fetch.wait.max.ms (10 ms) can.
    /// </summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            yield return "Helpdesk:Kafka:BootstrapServers is required in the kafka mode";
        }

        if (string.IsNullOrWhiteSpace(Topic) || string.IsNullOrWhiteSpace(DeadLetterTopic) || Topic == DeadLetterTopic)
        {
            yield return "Helpdesk:Kafka:Topic and DeadLetterTopic must be given and differ";
        }

        if (string.IsNullOrWhiteSpace(GroupId))
        {
            yield return "Helpdesk:Kafka:GroupId must not be empty";
        }

        if (MaxInFlight < 1)
        {
            yield return "Helpdesk:Kafka:MaxInFlight must be at least 1";
        }
    }
}
