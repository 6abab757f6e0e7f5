using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Helpdesk.Monitoring.Telemetry;
using Prometheus;

namespace Helpdesk.Monitoring.Hosting.Metrics;

/// <summary>
/// /metrics through prometheus-net: the service's System.Diagnostics.Metrics instruments (the core stays free of
/// packages) published under the very names they are declared with, plus prometheus-net's process and runtime series.
/// prometheus-net's own meter adapter is not used: it prefixes names with the meter's, exposes counters as gauges and
/// allocates per measurement. Every labelled series exists at 0 from the start; the Kafka series only in Kafka mode.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, PublishedInstrument> _published = new();
    private readonly IMetricFactory _factory;
    private readonly bool _kafka;
    private readonly IReadOnlyDictionary<string, MetricLabel[]> _labels;

    /// <param name="labels">Labels of instruments beyond the core's (each adapter's, with the values its configuration gives).</param>
    public PrometheusMetrics(bool kafka, IReadOnlyDictionary<string, MetricLabel[]>? labels = null)
    {
        _kafka = kafka;
        _labels = labels ?? new Dictionary<string, MetricLabel[]>();
        Registry = Prometheus.Metrics.NewCustomRegistry();
        _factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);

        // Observable gauges (backlog, active incidents, store failing) are read when Prometheus scrapes, not on a timer.
        Registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HelpdeskMetrics.MeterName && (_kafka || !instrument.Name.StartsWith("helpdesk_kafka_", StringComparison.Ordinal)))
            {
                _published[instrument] = Publish(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        // Every numeric type an instrument may be declared with: one the bridge does not read would stay at 0 unseen.
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_published.TryGetValue(instrument, out var published))
        {
            published.Record(value, tags);
        }
    }

    private PublishedInstrument Publish(Instrument instrument)
    {
        var labels = HelpdeskMetricLabels.ByInstrument.TryGetValue(instrument.Name, out var declared) || _labels.TryGetValue(instrument.Name, out declared)
            ? declared
            : [];
        var names = labels.Select(l => l.Name).ToArray();
        var help = instrument.Description ?? instrument.Name;
        Func<string[], Action<double>> series = instrument switch
        {
            Counter<long> or Counter<double> => Counter(_factory.CreateCounter(instrument.Name + "_total", help, names)),
            Histogram<double> h => Histogram(_factory.CreateHistogram(instrument.Name, help, names,
                new HistogramConfiguration { Buckets = h.Advice?.HistogramBucketBoundaries?.ToArray() ?? Prometheus.Histogram.ExponentialBuckets(0.001, 2, 14) })),
            _ => Gauge(_factory.CreateGauge(instrument.Name, help, names)),
        };
        var published = new PublishedInstrument(names, series);
        foreach (var values in Combinations(labels.Select(l => l.Values.Where(Shown).ToArray()).ToArray()))
        {
            published.Create(values);
        }

        return published;
    }

    private bool Shown(string labelValue) => _kafka || labelValue != "kafka";

    private static Func<string[], Action<double>> Counter(Counter counter) => values => values.Length == 0 ? counter.Inc : counter.WithLabels(values).Inc;

    private static Func<string[], Action<double>> Histogram(Histogram histogram) => values => values.Length == 0 ? histogram.Observe : histogram.WithLabels(values).Observe;

    private static Func<string[], Action<double>> Gauge(Gauge gauge) => values => values.Length == 0 ? gauge.Set : gauge.WithLabels(values).Set;

    private static IEnumerable<string[]> Combinations(string[][] values)
    {
        IEnumerable<string[]> combinations = [[]];
        foreach (var choices in values)
        {
            combinations = combinations.SelectMany(prefix => choices.Select(choice => (string[])[.. prefix, choice])).ToList();
        }

        return combinations;
    }
}
