using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Telemetry;

namespace Helpdesk.Monitoring.Hosting.Metrics;

/// <summary>
/// Prometheus text exposition (format 0.0.4) of the service's System.Diagnostics.Metrics instruments, aggregated by a
/// MeterListener: counters as <c>_total</c>, histograms with cumulative buckets, observable gauges read at scrape.
/// prometheus-net is not available here, and the format is small enough to own.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _series = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HelpdeskMetrics.MeterName)
            {
                _series[instrument] = new InstrumentSeries(instrument, Buckets(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder(4096);
        foreach (var series in _series.Values.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal))
        {
            series.WriteTo(text);
        }

        ProcessMetrics.WriteTo(text);
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private static double[]? Buckets(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets,
        _ => null,
    };
}
