using System.Globalization;

namespace Helpdesk.Monitoring.LoadGenerator.Soak;

/// <summary>One row of the soak's record, taken every ten seconds.</summary>
internal sealed record SoakSample(
    double Minutes, long RssBytes, long GcHeapBytes, int Handles, int Threads, double CommitP50Ms, double CommitP99Ms, double PostP99Ms,
    long DatabaseBytes, long Committed, long Opened, long Archived, long Delivered, long LogLines)
{
    public const string Header = "minutes,rss_mib,gc_heap_mib,handles,threads,commit_p50_ms,commit_p99_ms,post_p99_ms,database_mib,committed,opened,archived,delivered,log_lines";

    public string Csv() => string.Join(',',
        F(Minutes), F(RssBytes / 1048576.0), F(GcHeapBytes / 1048576.0), Handles.ToString(CultureInfo.InvariantCulture), Threads.ToString(CultureInfo.InvariantCulture),
        F(CommitP50Ms), F(CommitP99Ms), F(PostP99Ms), F(DatabaseBytes / 1048576.0), Committed.ToString(CultureInfo.InvariantCulture),
        Opened.ToString(CultureInfo.InvariantCulture), Archived.ToString(CultureInfo.InvariantCulture), Delivered.ToString(CultureInfo.InvariantCulture),
        LogLines.ToString(CultureInfo.InvariantCulture));

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>The service's /metrics page, read as numbers: sums over labels, and quantiles of a histogram between two reads.</summary>
internal sealed class MetricsPage(string text)
{
    public double Sum(string name) => Lines(name).Sum(l => l.Value);

    /// <summary>Cumulative bucket counts by upper bound.</summary>
    public SortedDictionary<double, double> Buckets(string histogram)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var (labels, value) in Lines(histogram + "_bucket"))
        {
            var le = labels[(labels.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
            le = le[..le.IndexOf('"', StringComparison.Ordinal)];
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            buckets[bound] = buckets.GetValueOrDefault(bound) + value;
        }

        return buckets;
    }

    /// <summary>The q-quantile of what was observed between <paramref name="before"/> and <paramref name="after"/> (interpolated in its bucket).</summary>
    public static double Quantile(SortedDictionary<double, double> before, SortedDictionary<double, double> after, double q)
    {
        var total = after.Values.LastOrDefault() - before.Values.LastOrDefault();
        if (total <= 0)
        {
            return double.NaN;
        }

        var (lower, below) = (0.0, 0.0);
        foreach (var (bound, cumulative) in after)
        {
            var count = cumulative - before.GetValueOrDefault(bound);
            if (count >= q * total)
            {
                return double.IsPositiveInfinity(bound) ? lower : lower + ((bound - lower) * (q * total - below) / Math.Max(1, count - below));
            }

            (lower, below) = (bound, count);
        }

        return lower;
    }

    private IEnumerable<(string Labels, double Value)> Lines(string name)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length || (line[name.Length] != ' ' && line[name.Length] != '{'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                yield return (line[name.Length..space], value);
            }
        }
    }
}
