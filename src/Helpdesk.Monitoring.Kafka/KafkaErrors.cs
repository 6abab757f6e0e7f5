using Confluent.Kafka;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>What an error from the Kafka client means for the client itself.</summary>
public static class KafkaErrors
{
    /// <summary>
    /// librdkafka's fatal errors (a fenced group member, a producer id the cluster refuses): the client cannot be used
    /// again, every later call fails at once, and only a new client (a restarted process) goes on.
    /// </summary>
    public static bool EndsTheClient(this Error error) => error.IsFatal || error.Code == ErrorCode.Local_Fatal;
}
