using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Helpdesk.Monitoring.Hosting.Metrics;

/// <summary>The aggregated values of one instrument, one cell per label set.</summary>
internal sealed class InstrumentSeries(Instrument instrument, double[]? buckets)
{
    private readonly ConcurrentDictionary<LabelSet, Cell> _cells = new();

    public Instrument Instrument => instrument;

    private bool IsCounter => instrument is Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long>;

    private bool IsHistogram => buckets is not null;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var cell = _cells.GetOrAdd(LabelSet.From(tags), static (_, size) => new Cell(size), buckets?.Length ?? 0);
        lock (cell)
        {
            if (IsHistogram)
            {
                cell.Sum += value;
                cell.Count++;
                var i = Array.BinarySearch(buckets!, value);
                cell.Buckets[i >= 0 ? i : ~i]++;
            }
            else if (IsCounter)
            {
                cell.Sum += value;
            }
            else
            {
                cell.Sum = value;
            }
        }
    }

    public void WriteTo(StringBuilder text)
    {
        var name = instrument.Name;
        var type = IsHistogram ? "histogram" : IsCounter ? "counter" : "gauge";
        var exposed = IsCounter ? name + "_total" : name;
        text.Append("# HELP ").Append(exposed).Append(' ').Append((instrument.Description ?? name).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(exposed).Append(' ').Append(type).Append('\n');
        foreach (var (labels, cell) in _cells.OrderBy(c => c.Key.Format(), StringComparer.Ordinal))
        {
            lock (cell)
            {
                if (IsHistogram)
                {
                    long cumulative = 0;
                    for (var i = 0; i < buckets!.Length; i++)
                    {
                        cumulative += cell.Buckets[i];
                        Line(text, name + "_bucket", labels.Format("le", Number(buckets[i])), cumulative);
                    }

                    Line(text, name + "_bucket", labels.Format("le", "+Inf"), cell.Count);
                    Line(text, name + "_sum", labels.Format(), cell.Sum);
                    Line(text, name + "_count", labels.Format(), cell.Count);
                }
                else
                {
                    Line(text, exposed, labels.Format(), cell.Sum);
                }
            }
        }
    }

    private static void Line(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels).Append(' ').Append(Number(value)).Append('\n');

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Cell(int buckets)
    {
        public double Sum;
        public long Count;

        // One more than the boundaries: the last slot counts values above every boundary (only +Inf holds them).
        public readonly long[] Buckets = new long[buckets + 1];
    }
}
