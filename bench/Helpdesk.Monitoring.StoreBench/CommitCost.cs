using System.Diagnostics;
using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Sqlite;

namespace Helpdesk.Monitoring.StoreBench;

/// <summary>
/// What a batch costs once it has arrived, without HTTP and without a load generator on the same cores: the
/// side-by-side's estate (every identity firing), then batches of its two mixes decided and committed as the pipeline
/// does, on one thread, <c>synchronous=FULL</c>. Reports time and process CPU per notification, decide and commit
/// apart, and the bytes the store wrote per notification (which the machine's other load does not move).
/// </summary>
internal static class CommitCost
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    // The decider's clock moves as a storm's would (a hundred commits a second), so no SLA clock comes due in a run.
    private const int BatchesPerSecond = 100;

    private readonly record struct Measure(double DecideUs, double CommitUs, double CpuUs, double WrittenBytes, double CommitP99Ms, double CommitMaxMs);

    /// <param name="keep">
    /// When set, each mix's store and its write-ahead log are copied there at the end of its last run
    /// (<c>{mix}.db</c>, <c>{mix}.db-wal</c>), for <c>bench/scripts/wal-pages.py</c> to tell which tables and indexes
    /// the commits wrote.
    /// </param>
    public static async Task<string> RunAsync(int customers, int hosts, int services, int batch, int batches, int runs, string mixes, string work, string? keep = null)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- commit --customers {customers} --hosts {hosts} --services {services} --batch {batch} --batches {batches} --runs {runs}`");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{customers * hosts * services:N0} identities, all firing; {batches} batches of {batch} per run, each run on a fresh store (`synchronous=FULL`); microseconds per notification, medians of {runs} runs (each run's value in brackets).");
        text.AppendLine();
        text.AppendLine("| mix | decide µs | commit µs | process CPU µs | bytes written | a commit's p99 / max ms |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var (key, name, changeShare) in new[] { ("storm", "storm: 90 % repeats", 0.1), ("changes", "every notification changes state", 1.0), ("repeats", "repeats only", 0.0) })
        {
            if (!mixes.Split(',').Contains(key))
            {
                continue;
            }

            var measures = new List<Measure>();
            for (var run = 0; run < runs; run++)
            {
                var keepAs = keep is not null && run == runs - 1 ? Path.Combine(keep, key + ".db") : null;
                measures.Add(await RunOnceAsync(customers, hosts, services, batch, batches, changeShare, run, work, keepAs));
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Median(measures, m => m.DecideUs)} | {Median(measures, m => m.CommitUs)} | {Median(measures, m => m.CpuUs)} | {Median(measures, m => m.WrittenBytes, "N0")} | {Median(measures, m => m.CommitP99Ms, "N1")} / {Median(measures, m => m.CommitMaxMs, "N1")} |");
        }

        return text.ToString();
    }

    private static async Task<Measure> RunOnceAsync(int customers, int hosts, int services, int batch, int batches, double changeShare, int seed, string work, string? keepAs)
    {
        // A new name each run: a pooled connection to a deleted file of the same name would still read the old one.
        var path = Path.Combine(work, $"commit-cost-{Guid.NewGuid():N}.db");
        StoreFile.Delete(path);
        try
        {
            await using var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path, Synchronous = "FULL" });
            await store.InitializeAsync(default);
            var estate = new Estate(store, Start);
            await estate.OpenEstateAsync(customers, hosts, services, Start);

            var identities = customers * hosts * services;
            var firing = new bool[identities];
            Array.Fill(firing, true);
            var lastTimeT = new long[identities];
            var random = new Random(seed);
            var t0 = Start.ToUnixTimeSeconds() + 60;

            // The records are written before the clock starts: the generator's work, not the service's.
            var records = new List<byte[]>[batches];
            for (var b = 0; b < batches; b++)
            {
                records[b] = new List<byte[]>(batch);
                for (var i = 0; i < batch; i++)
                {
                    var change = random.NextDouble() < changeShare;
                    var id = random.Next(identities);
                    while (!change && !firing[id])
                    {
                        id = random.Next(identities);
                    }

                    var (c, h, s) = (id / (hosts * services), id / services % hosts, id % services);
                    var recover = change && firing[id];
                    if (change)
                    {
                        firing[id] = !firing[id];
                    }

                    // Nagios' time only moves forward for an identity: a recovery and the next problem never share a second.
                    var timeT = lastTimeT[id] = Math.Max(t0 + (b / BatchesPerSecond), lastTimeT[id] + (change ? 1 : 0));
                    records[b].Add(Estate.EstateRecord(recover ? NotificationType.Recovery : NotificationType.Problem, c, h, s,
                        recover ? AlertState.Ok : AlertState.Critical, timeT));
                }
            }

            // A tenth of the batches first, untimed: the code is compiled and the store's caches are warm.
            var warm = batches / 10;
            var (decide, commit) = (TimeSpan.Zero, TimeSpan.Zero);
            var cpu = TimeSpan.Zero;
            var written = 0L;
            var commits = new List<double>(batches);
            for (var b = 0; b < batches; b++)
            {
                if (b == warm)
                {
                    cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    written = WrittenBytes();
                }

                var (d, c) = await estate.CommitRecordsAsync(Start.AddSeconds(60 + ((double)b / BatchesPerSecond)), records[b]);
                if (b >= warm)
                {
                    decide += d;
                    commit += c;
                    commits.Add(c.TotalMilliseconds);
                }
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            written = WrittenBytes() - written;
            if (keepAs is not null)
            {
                await KeepAsync(path, keepAs);
            }

            double n = (batches - warm) * batch;
            commits.Sort();
            return new Measure(decide.TotalMicroseconds / n, commit.TotalMicroseconds / n, cpu.TotalMicroseconds / n, written / n,
                commits[(int)(0.99 * (commits.Count - 1))], commits[^1]);
        }
        finally
        {
            StoreFile.Delete(path);
        }
    }

    /// <summary>
    /// Copies the store and its log while it is still open (closing it would checkpoint and delete the log). The
    /// background checkpointer runs only while commits come: after the last commit it is given a second to finish.
    /// </summary>
    private static async Task KeepAsync(string path, string keepAs)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keepAs))!);
        File.Copy(path + "-wal", keepAs + "-wal", overwrite: true);
        File.Copy(path, keepAs, overwrite: true);
    }

    /// <summary>
    /// Bytes this process has handed to write calls (/proc/self/io): the store's WAL frames and checkpoints. A count,
    /// not a time: how many pages a notification makes SQLite write does not depend on the machine's other load.
    /// </summary>
    private static long WrittenBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/io"))
        {
            if (line.StartsWith("wchar:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static string Median(List<Measure> measures, Func<Measure, double> of, string format = "N2")
    {
        var values = measures.Select(of).ToList();
        var sorted = values.Order().ToList();
        var median = sorted[sorted.Count / 2];
        return string.Create(CultureInfo.InvariantCulture, $"**{median.ToString(format, CultureInfo.InvariantCulture)}** ({string.Join(" / ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)))})");
    }
}
