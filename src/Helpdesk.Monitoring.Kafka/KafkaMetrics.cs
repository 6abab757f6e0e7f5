using System.Diagnostics.Metrics;
using Helpdesk.Monitoring.Telemetry;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// The Kafka source's own series for /metrics: lag, records in flight, assigned partitions (read when Prometheus
/// scrapes) and the time from a record's production to its commit. Made only when the service consumes Kafka, so an
/// embedded service shows no Kafka series at all.
/// </summary>
public sealed class KafkaMetrics : IDisposable
{
    private readonly Meter _meter = new(HelpdeskMetrics.MeterName, "1.0");
    private readonly KafkaSource _source;
    private readonly Histogram<double> _recordToCommit;

    public KafkaMetrics(KafkaSource source)
    {
        _source = source;
        _meter.CreateObservableGauge("helpdesk_kafka_assigned_partitions", () => source.AssignedPartitions,
            description: "Partitions of the notification topic this instance consumes now.");
        _meter.CreateObservableGauge("helpdesk_kafka_in_flight", () => source.InFlight,
            description: "Records taken from Kafka whose effect is not yet durable (bounded by Helpdesk:Kafka:MaxInFlight).");
        _meter.CreateObservableGauge("helpdesk_kafka_paused", () => source.Paused ? 1 : 0,
            description: "1 while the consumer's partitions are paused because the store has taken no record for a while (an outage, not a busy moment).");
        _meter.CreateObservableGauge("helpdesk_kafka_consumer_lag", () => source.Lag, description: "Messages in this instance's partitions not yet durable and committed.");
        _recordToCommit = _meter.CreateHistogram<double>(
            "helpdesk_kafka_record_to_commit_seconds", unit: "s", description: "From a Kafka record's timestamp (when it was produced) to the store commit of its effect.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        source.RecordCommitted += Committed;
    }

    public void Dispose()
    {
        _source.RecordCommitted -= Committed;
        _meter.Dispose();
    }

    private void Committed(TimeSpan sinceProduced) => _recordToCommit.Record(Math.Max(0, sinceProduced.TotalSeconds));
}
