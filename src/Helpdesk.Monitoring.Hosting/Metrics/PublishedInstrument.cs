using System.Collections.Concurrent;

namespace Helpdesk.Monitoring.Hosting.Metrics;

/// <summary>
/// One instrument's prometheus-net series, one per label set. A measurement finds its series by a value key built from
/// its tags, so recording allocates nothing once the series exists.
/// </summary>
internal sealed class PublishedInstrument(string[] labelNames, Func<string[], Action<double>> createSeries)
{
    private readonly ConcurrentDictionary<LabelSet, Action<double>> _series = new();

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = LabelSet.From(tags);
        if (!_series.TryGetValue(key, out var record))
        {
            record = _series.GetOrAdd(key, createSeries(Values(key)));
        }

        record(value);
    }

    /// <summary>Creates a series before its first measurement, so it shows 0 rather than nothing.</summary>
    public void Create(string[] values) =>
        _series.GetOrAdd(LabelSet.From(labelNames.Zip(values, (name, value) => new KeyValuePair<string, object?>(name, value)).ToArray()), createSeries(values));

    /// <summary>The tag values in the order the labels were declared, whatever order the measurement carried them in.</summary>
    private string[] Values(LabelSet key) =>
        [.. labelNames.Select(name => name == key.Name1 ? key.Value1 ?? "" : name == key.Name2 ? key.Value2 ?? "" : "")];
}
