using System.Diagnostics;
using System.Globalization;

namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>
/// One system under one workload: start it fresh, fire every identity (priming), then the workload's steady phase,
/// measured by the generator (rate, latency) and from /proc (the system's CPU-seconds and RSS); last, the firing set
/// the system holds is compared with the generator's.
/// </summary>
internal static class SideBySideRun
{
    private const int PrimeBatch = 100;

    public static async Task<RunResult> RunAsync(IPeer peer, Identities identities, Workload workload, int run, TimeSpan duration)
    {
        var estate = new Estate(identities.Count, workload.Connections);
        await PrimeAsync(peer, estate, workload.Connections);

        var cpuBefore = CpuSeconds(peer.Pid);
        var latencies = new List<double>[workload.Connections];
        long sent = 0, taken = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workload.Connections).Select(connection => Task.Run(async () =>
        {
            var part = estate.For(connection);
            var random = new Random((run * 1000) + connection);
            var mine = latencies[connection] = new List<double>(200_000);
            var body = new byte[(workload.Batch * peer.MaxNotificationBytes) + 2];
            while (clock.Elapsed < duration)
            {
                part.NewBatch();
                var length = 0;
                body[length++] = (byte)'[';
                for (var i = 0; i < workload.Batch; i++)
                {
                    if (i > 0)
                    {
                        body[length++] = (byte)',';
                    }

                    var (identity, step) = part.Next(random, workload.RepeatRatio);
                    length = peer.Write(body, length, identity, step);
                }

                body[length++] = (byte)']';
                var at = Stopwatch.GetTimestamp();
                var took = await peer.PostAsync(body, length, workload.Batch);
                mine.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                Interlocked.Add(ref sent, workload.Batch);
                Interlocked.Add(ref taken, took);
            }
        })));
        clock.Stop();
        var cpu = CpuSeconds(peer.Pid) - cpuBefore;
        var (rss, peak) = (ServiceUnderTest.StatusKiB(peer.Pid, "VmRSS:") * 1024, ServiceUnderTest.StatusKiB(peer.Pid, "VmHWM:") * 1024);

        var expected = estate.Firing().ToHashSet();
        var held = await peer.FiringAsync();
        return new RunResult(peer.Name, workload, run, sent, taken, clock.Elapsed, latencies.SelectMany(l => l).Order().ToArray(), cpu, rss, peak,
            expected.Count, expected.Count(i => !held.Contains(i)), held.Count(i => !expected.Contains(i)), estate.ChangeShare());
    }

    private static async Task PrimeAsync(IPeer peer, Estate estate, int connections)
    {
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async connection =>
        {
            var part = estate.For(connection);
            var body = new byte[(PrimeBatch * peer.MaxNotificationBytes) + 2];
            while (part.IdleCount > 0)
            {
                var (length, count) = (0, 0);
                body[length++] = (byte)'[';
                for (int identity; count < PrimeBatch && (identity = part.FireNextIdle()) >= 0; count++)
                {
                    if (count > 0)
                    {
                        body[length++] = (byte)',';
                    }

                    length = peer.Write(body, length, identity, Step.Fire);
                }

                body[length++] = (byte)']';
                if (await peer.PostAsync(body, length, count) != count)
                {
                    throw new InvalidOperationException($"{peer.Name} did not take every priming notification");
                }
            }
        }));
    }

    /// <summary>User plus system CPU time of a process, from /proc/PID/stat (clock ticks of 1/100 s on Linux).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
