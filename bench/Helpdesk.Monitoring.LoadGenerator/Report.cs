using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Helpdesk.Monitoring.LoadGenerator;

/// <summary>The run as markdown, with the machine it ran on, for bench/results/.</summary>
internal static class Report
{
    public static string Markdown(LoadOptions o, TrafficModel model, long primed, TimeSpan primeTime, SteadyResult steady, long rssPrimed, long rssEnd, long peak, long alertSum,
        (double CommitMeanMs, double GcPauseSeconds) serviceSide)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine("# Embedded load: HTTP ingest → pipeline → SQLite");
        s.AppendLine();
        s.AppendLine(inv, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with `./build.sh load --duration {o.DurationSeconds} --synchronous {o.Synchronous}`.");
        s.AppendLine();
        s.AppendLine("## Machine");
        s.AppendLine(inv, $"- CPU: {Cpu()} ({Environment.ProcessorCount} logical cores), memory {MemTotal()}");
        s.AppendLine(inv, $"- OS: {RuntimeInformation.OSDescription}; .NET {Environment.Version}");
        s.AppendLine("- Everything on this one machine: the generator (4 connections), the service, SQLite (WAL, synchronous=" + o.Synchronous + ").");
        s.AppendLine();
        s.AppendLine("## Traffic");
        s.AppendLine(inv, $"- {o.Customers} customers × {o.HostsPerCustomer} hosts × 5 services = {model.Identities} identities, batches of {o.BatchSize}, {o.Connections} keep-alive connections.");
        s.AppendLine(inv, $"- Steady phase: {o.RepeatRatio:P0} repeats of firing problems, the rest state changes (CRITICAL ↔ WARNING).");
        s.AppendLine();
        s.AppendLine("## Results (committed only: the service answers after the SQLite commit)");
        s.AppendLine("| measure | value | target (issue 2) |");
        s.AppendLine("|---|---|---|");
        s.AppendLine(inv, $"| priming: open problems | {primed} in {primeTime.TotalSeconds:0.0} s ({primed / primeTime.TotalSeconds:N0}/s) | |");
        s.AppendLine(inv, $"| steady throughput | {steady.Rate:N0} notifications/s ({steady.Committed} in {steady.Elapsed.TotalSeconds:0.0} s) | ≥ 60,000/s |");
        s.AppendLine(inv, $"| batch commit latency p50 / p95 / p99 | {steady.Percentile(50):0.0} / {steady.Percentile(95):0.0} / {steady.Percentile(99):0.0} ms | p99 reported |");
        s.AppendLine(inv, $"| service side: mean arrival → commit, GC pauses over the run | {serviceSide.CommitMeanMs:0.0} ms, {serviceSide.GcPauseSeconds:0.00} s | |");
        s.AppendLine(inv, $"| service RSS with {primed} open problems | {rssPrimed / 1048576.0:0} MiB (after steady: {rssEnd / 1048576.0:0} MiB, peak {peak / 1048576.0:0} MiB) | ≤ 200 MiB |");
        s.AppendLine(inv, $"| check: Σ alertCount over incidents = committed | {alertSum} = {primed + steady.Committed}: {(alertSum == primed + steady.Committed ? "yes" : "NO")} | |");
        return s.ToString();
    }

    internal static string Cpu() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    internal static string MemTotal() =>
        File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim()
            : "unknown";
}
