using System.Globalization;

namespace Helpdesk.Monitoring.KafkaLoad;

/// <summary>What the service's /metrics says: committed notifications and the record-to-commit histogram.</summary>
internal sealed record ServiceMetrics(double Ingested, IReadOnlyList<(double Le, double Count)> Buckets, double Lag)
{
    private const string Histogram = "helpdesk_kafka_record_to_commit_seconds_bucket{le=\"";

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
                var le = line[Histogram.Length..line.IndexOf('"', Histogram.Length)];
                buckets.Add((le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), Value(line)));
            }
        }

        return new ServiceMetrics(ingested, buckets, lag);
    }

    /// <summary>The q-quantile of the records committed between <paramref name="before"/> and this scrape (linear within a bucket).</summary>
    public double Quantile(ServiceMetrics before, double q)
    {
        var counts = Buckets.Select((b, i) => (b.Le, Count: b.Count - before.Buckets[i].Count)).ToList();
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

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
