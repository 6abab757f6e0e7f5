using System.Diagnostics;
using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Archive;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Sqlite;

namespace Helpdesk.Monitoring.StoreBench;

/// <summary>
/// Whether the live tables slow down with age: two stores with the same live incidents (closed ones within the
/// retention and an open queue), one with a year's archive behind them and one without, measured alternately in one
/// run: the board's queue, the incident list, a customer's incidents, a commit, and (archive only) an archive search.
/// </summary>
internal static class Aging
{
    private const int OpenQueue = 2_000;
    private const int Repetitions = 200;
    private const int Commits = 40;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static async Task<string> RunAsync(long archived, int live, int runs, string work)
    {
        var fresh = Path.Combine(work, $"aging-live-{live}-{archived}.db");
        var aged = Path.Combine(work, $"aging-archive-{live}-{archived}.db");
        var setup = Stopwatch.StartNew();
        if (!File.Exists(fresh) || !File.Exists(aged))
        {
            await BuildAsync(fresh, aged, archived, live);
        }

        Console.Error.WriteLine($"stores ready in {setup.Elapsed.TotalSeconds:0} s: {Size(fresh)} and {Size(aged)}");
        var results = new Dictionary<string, Dictionary<string, List<double>>>
        {
            ["none archived"] = [],
            [$"{archived:N0} archived"] = [],
        };
        for (var run = 0; run < runs; run++)
        {
            // Alternate which goes first, so neither always runs on a warmer machine.
            var order = run % 2 == 0 ? new[] { (fresh, "none archived"), (aged, $"{archived:N0} archived") } : [(aged, $"{archived:N0} archived"), (fresh, "none archived")];
            foreach (var (path, name) in order)
            {
                foreach (var (measure, micros) in await MeasureAsync(path, run))
                {
                    results[name].TryAdd(measure, []);
                    results[name][measure].Add(micros);
                }
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# The live tables with and without a year's archive ({DateTime.UtcNow:yyyy-MM-dd})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- aging --archived {archived} --live {live} --runs {runs}`");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Both stores hold the same {live:N0} closed incidents within the retention and {OpenQueue:N0} open ones (made by the real decider);");
        text.AppendLine(CultureInfo.InvariantCulture, $"one also holds {archived:N0} archived incidents (a real archived document each, 50 customers, {Size(aged)} against {Size(fresh)}).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Each run opens each store in turn (alternating which first) and times {Repetitions} reads of each kind and {Commits} commits");
        text.AppendLine("(50 new problems and their recoveries, synchronous=FULL); the table gives the median over runs of each run's median, in µs.");
        text.AppendLine();
        var names = results.Keys.ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"| operation | {names[0]} | {names[1]} | ratio |");
        text.AppendLine("|---|---|---|---|");
        foreach (var measure in results[names[1]].Keys)
        {
            var a = results[names[0]].TryGetValue(measure, out var x) ? Median(x) : double.NaN;
            var b = Median(results[names[1]][measure]);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {(double.IsNaN(a) ? "–" : a.ToString("N0", CultureInfo.InvariantCulture))} | {b:N0} | {(double.IsNaN(a) ? "–" : (b / a).ToString("0.00", CultureInfo.InvariantCulture) + "×")} |");
        }

        return text.ToString();
    }

    private static async Task<List<(string, double)>> MeasureAsync(string path, int run)
    {
        await using var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path });
        await store.InitializeAsync(default);
        var snapshot = await store.LoadAsync(default);
        var estate = new Estate(store, Start, snapshot);
        var measured = new List<(string, double)>
        {
            ("board queue: open and acknowledged, by SLA due, 200", await TimeAsync(() => store.ListAsync(new IncidentQuery
                { Statuses = [IncidentStatus.Open, IncidentStatus.Acknowledged], Order = IncidentOrder.Due, PageSize = 200 }, default))),
            ("incident list: every status, newest first, 50", await TimeAsync(() => store.ListAsync(new IncidentQuery(), default))),
            ("one customer's incidents, newest first, 50", await TimeAsync(() => store.ListAsync(new IncidentQuery { Customer = "customer07" }, default))),
            ("an incident by number", await TimeAsync(() => store.GetAsync(snapshot.LastIncidentId - 5, default))),
        };
        var commits = new List<double>();
        for (var i = 0; i < Commits; i++)
        {
            commits.Add((await estate.CommitMinuteAsync(Start.AddDays(100 + run).AddMinutes(i), 50)).TotalMicroseconds);
        }

        measured.Add(("a commit of 100 notifications (50 problems, 50 recoveries)", Median(commits)));
        if ((await store.CountArchivedAsync(default)) > 0)
        {
            measured.Add(("archive: one customer's incidents, newest first, 50", await TimeAsync(() => store.ListAsync(new IncidentQuery { Archived = true, Customer = "customer07" }, default))));
            measured.Add(("archive: an incident by number", await TimeAsync(() => store.GetAsync(12_345, default))));
        }

        return measured;
    }

    private static async Task<double> TimeAsync<T>(Func<ValueTask<T>> read)
    {
        var times = new List<double>(Repetitions);
        for (var i = 0; i < Repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            await read();
            times.Add(clock.Elapsed.TotalMicroseconds);
        }

        return Median(times);
    }

    private static async Task BuildAsync(string fresh, string aged, long archived, int live)
    {
        StoreFile.Delete(fresh);
        StoreFile.Delete(aged);
        await using (var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = fresh, Synchronous = "NORMAL" }))
        {
            await store.InitializeAsync(default);

            // The live incidents are numbered after the archived ones, as a year's store numbers them.
            var estate = new Estate(store, Start, new StoreSnapshot([], archived, 0));
            await estate.RunAsync(live);
            await estate.OpenAsync(OpenQueue, Start.AddDays(1));
        }

        byte[] document;
        await using (var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = fresh }))
        {
            await store.InitializeAsync(default);
            document = ArchiveDocument.Encode((await store.GetAsync(archived + 2, default))!);
        }

        using (var connection = StoreFile.Open(fresh))
        {
            StoreFile.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            StoreFile.Execute(connection, "VACUUM");
        }

        File.Copy(fresh, aged);
        using (var connection = StoreFile.Open(aged))
        {
            StoreFile.Execute(connection, "PRAGMA synchronous = OFF");
            StoreFile.Execute(connection, "PRAGMA cache_size = -1000000");
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandTimeout = 0;

            // A year of closed incidents, oldest first, a few seconds apart, spread over 50 customers and 20,000 hosts.
            command.CommandText = """
                WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < @count)
                INSERT INTO archived_incident (id, instance, host, service, customer, opened_at, closed_at, document)
                SELECT x, 'nagios-a', printf('old%05d', x % 20000), 'Disk /var', printf('customer%02d', x % 50),
                       @start + x * @step, @start + x * @step + 3600000, @document FROM n
                """;
            command.Parameters.AddWithValue("@count", archived);
            command.Parameters.AddWithValue("@start", Start.AddDays(-400).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("@step", archived == 0 ? 1 : (long)TimeSpan.FromDays(365).TotalMilliseconds / archived);
            command.Parameters.AddWithValue("@document", document);
            command.ExecuteNonQuery();
            transaction.Commit();
            StoreFile.Execute(connection, "ANALYZE");
        }

        using (var connection = StoreFile.Open(fresh))
        {
            StoreFile.Execute(connection, "ANALYZE");
        }
    }

    private static string Size(string path) => $"{new FileInfo(path).Length / 1048576.0:N0} MiB";

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
