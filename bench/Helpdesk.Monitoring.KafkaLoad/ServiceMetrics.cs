using System.Globalization;

namespace Helpdesk.Monitoring.KafkaLoad;

/// <summary>
/// What the service's /metrics says: committed notifications, the record-to-commit histogram (from the producer's
/// timestamp) and the arrival-to-commit one (from the consumer handing the record over: the service's own part).
/// </summary>
internal sealed record ServiceMetrics(double Ingested, IReadOnlyList<(double Le, double Count)> Buckets, double Lag, IReadOnlyList<(double Le, double Count)> ArrivalBuckets)
{
    private const string Histogram = "helpdesk_kafka_record_to_commit_seconds_bucket{le=\"";
    private const string ArrivalHistogram = "helpdesk_ingest_commit_latency_seconds_bucket{le=\"";

    /// <summary>
    /// Records whose latency the histogram holds. The service counts a batch as ingested before each record's receipt
    /// records its latency, so a scrape between the two sees fewer here: wait for both.
    /// </summary>
    public double Recorded => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    public static async Task<ServiceMetrics> ScrapeAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        double ingested = 0, lag = 0;
        var buckets = new List<(double, double)>();
        var arrival = new List<(double, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("helpdesk_notifications_ingested_total", StringComparison.Ordinal))
            {
                ingested += Value(line);
            }
            else if (line.StartsWith("helpdesk_kafka_consumer_lag ", StringComparison.Ordinal))
            {
                lag = Value(line);
            }
            else if (line.StartsWith(Histogram, StringComparison.Ordinal))
            {
                buckets.Add(Bucket(line, Histogram.Length));
            }
            else if (line.StartsWith(ArrivalHistogram, StringComparison.Ordinal))
            {
                arrival.Add(Bucket(line, ArrivalHistogram.Length));
            }
        }

        return new ServiceMetrics(ingested, buckets, lag, arrival);
    }

    /// <summary>The q-quantile of the records committed between <paramref name="before"/> and this scrape (linear within a bucket).</summary>
    public double Quantile(ServiceMetrics before, double q) => Quantile(Buckets, before.Buckets, q);

    /// <summary>The same from the service's arrival histogram: how much of the time was the service's own.</summary>
    public double ArrivalQuantile(ServiceMetrics before, double q) => Quantile(ArrivalBuckets, before.ArrivalBuckets, q);

    private static double Quantile(IReadOnlyList<(double Le, double Count)> now, IReadOnlyList<(double Le, double Count)> before, double q)
    {
        var counts = now.Select((b, i) => (b.Le, Count: b.Count - before[i].Count)).ToList();
        var total = counts[^1].Count;
        var target = q * total;
        var lower = 0.0;
        var below = 0.0;
        foreach (var (le, count) in counts)
        {
            if (count >= target)
            {
                return double.IsInfinity(le) ? lower : lower + ((le - lower) * (count - below is var inBucket && inBucket > 0 ? (target - below) / inBucket : 1));
            }

            (lower, below) = (le, count);
        }

        return lower;
    }

    /// <summary>The share of the records committed since <paramref name="before"/> within <paramref name="seconds"/>.</summary>
    public double ShareWithin(ServiceMetrics before, double seconds)
    {
        var i = Buckets.ToList().FindIndex(b => b.Le >= seconds);
        var total = Buckets[^1].Count - before.Buckets[^1].Count;
        return total == 0 ? 0 : (Buckets[i].Count - before.Buckets[i].Count) / total;
    }

    private static (double Le, double Count) Bucket(string line, int start)
    {
        var le = line[start..line.IndexOf('"', start)];
        return (le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), Value(line));
    }

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
