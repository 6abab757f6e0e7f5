namespace Helpdesk.Monitoring.Testing;

/// <summary>The Kafka protocol requests the failure tests aim at (their API keys).</summary>
public enum KafkaApi : short
{
    Produce = 0,
    OffsetCommit = 8,
}
