using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>The side-by-side runs as markdown, with the machine they ran on, for bench/results/.</summary>
internal static class SideBySideReport
{
    public static string Markdown(IReadOnlyList<RunResult> results, Identities identities, int runs, int duration, string synchronous)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"## {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: {runs} alternating runs of {duration} s per workload, synchronous={synchronous}");
        s.AppendLine();
        s.AppendLine(inv, $"Machine: {Report.Cpu()} ({Environment.ProcessorCount} logical cores), {Report.MemTotal()}; {RuntimeInformation.OSDescription}; .NET {Environment.Version}.");
        s.AppendLine(inv, $"Estate: {identities.Customers} customers × {identities.HostsPerCustomer} hosts × 5 services = {identities.Count:N0} identities, all firing after priming.");
        s.AppendLine();
        foreach (var group in results.GroupBy(r => r.Workload))
        {
            s.AppendLine(inv, $"### {group.Key.Description}");
            s.AppendLine();
            s.AppendLine(inv, $"Sent in the measured phase: {Median(group.Select(r => r.ChangeShare)):0.0 %} state changes (fires and resolves), the rest repeats.");
            s.AppendLine();
            s.AppendLine("| system | notifications/s (runs) | median | p50 / p99 ms | per CPU-second | RSS (peak) MiB | firing set |");
            s.AppendLine("|---|---|---:|---|---:|---|---|");
            var medians = new Dictionary<string, (double Rate, double P99, double PerCpu, double Rss)>();
            foreach (var system in group.GroupBy(r => r.System))
            {
                var rs = system.ToList();
                var m = (Median(rs.Select(r => r.Rate)), Median(rs.Select(r => r.Percentile(99))), Median(rs.Select(r => r.PerCpuSecond)), Median(rs.Select(r => (double)r.RssBytes)));
                medians[system.Key] = m;
                s.AppendLine(inv, $"| {system.Key} | {string.Join(" / ", rs.Select(r => r.Rate.ToString("N0", inv)))} | {m.Item1:N0} | {Median(rs.Select(r => r.Percentile(50))):0.00} / {m.Item2:0.00} | {m.Item3:N0} | {m.Item4 / 1048576:0} ({Median(rs.Select(r => (double)r.PeakRssBytes)) / 1048576:0}) | {(rs.All(r => r.Verified) ? "verified in every run" : "MISMATCH")} |");
            }

            if (medians.TryGetValue("Helpdesk", out var h) && medians.TryGetValue("Alertmanager", out var a))
            {
                s.AppendLine();
                s.AppendLine(inv, $"Helpdesk ÷ Alertmanager: **{h.Rate / a.Rate:0.00}×** the rate (target ≥ 1.5×), **{h.PerCpu / a.PerCpu:0.00}×** per CPU-second (target ≥ 2×), p99 {h.P99:0.0} vs {a.P99:0.0} ms (target: no worse), RSS {h.Rss / a.Rss:0.00}× (target ≤ 0.33× and ≤ 200 MiB).");
            }

            s.AppendLine();
        }

        return s.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
