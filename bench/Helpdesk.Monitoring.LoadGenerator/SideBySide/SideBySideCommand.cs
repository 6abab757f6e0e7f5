using System.Globalization;

namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>
/// <c>side-by-side</c>: the helpdesk service and Prometheus Alertmanager under the same estate and workloads, one
/// generator, alternating (the order swaps every run), each run on a fresh data directory. Prints (and with --out
/// writes) a markdown report with every run, the medians and the ratios.
/// </summary>
internal static class SideBySideCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (customers, hosts, runs, duration, synchronous, output) = (50, 200, 3, 20, "FULL", (string?)null);
        var workloads = Workload.All.ToList();
        var systems = new[] { "helpdesk", "alertmanager" };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            switch (args[i])
            {
                case "--customers": customers = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--hosts": hosts = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--duration": duration = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--synchronous": synchronous = v; break;
                case "--workloads": workloads = v.Split(',').Select(n => Workload.All.Single(w => w.Name == n)).ToList(); break;
                case "--systems": systems = v.Split(','); break;
                case "--out": output = v; break;
                default: throw new ArgumentException($"unknown option {args[i]} (see bench/README.md)");
            }
        }

        var identities = new Identities(customers, hosts);
        var results = new List<RunResult>();
        foreach (var workload in workloads)
        {
            for (var run = 1; run <= runs; run++)
            {
                foreach (var helpdeskFirst in run % 2 == 1 ? new[] { true, false } : [false, true])
                {
                    // --systems helpdesk compares two builds of the service (HELPDESK_SERVICE_DLL) without Alertmanager.
                    if (!systems.Contains(helpdeskFirst ? "helpdesk" : "alertmanager"))
                    {
                        continue;
                    }

                    await using IPeer peer = helpdeskFirst
                        ? await HelpdeskPeer.StartAsync(identities, workload.Connections, synchronous)
                        : await AlertmanagerPeer.StartAsync(identities, workload.Connections);
                    var result = await SideBySideRun.RunAsync(peer, identities, workload, run, TimeSpan.FromSeconds(duration));
                    results.Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{workload.Name} run {run} {result.System,-12} {result.Rate,8:N0}/s p50 {result.Percentile(50):0.00} ms p99 {result.Percentile(99):0.00} ms, {result.PerCpuSecond:N0} per CPU-s, RSS {result.RssBytes / 1048576.0:0} MiB, {result.ChangeShare:0.0 %} changes, firing {result.Expected}: {(result.Verified ? "verified" : $"MISMATCH ({result.Missing} missing, {result.Extra} extra, {result.Sent - result.Taken} not taken)")}"));
                }
            }
        }

        var report = SideBySideReport.Markdown(results, identities, runs, duration, synchronous);
        Console.WriteLine(report);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, report);
            Console.WriteLine("written to " + output);
        }

        return results.All(r => r.Verified) ? 0 : 3;
    }
}
