using System.Diagnostics;
using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Sqlite;

namespace Helpdesk.Monitoring.StoreBench;

/// <summary>
/// What a page of the incident list costs by how deep it is, on a store with an alert storm's open incidents: the
/// first, middle and last page, newest first and by SLA due, and a walk through every page (what an agent scrolling
/// the whole storm, or a script reading every open incident, asks for). Run once per build on the same store file and
/// compare the reports.
/// </summary>
internal static class Paging
{
    private const int Chunk = 5_000;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static async Task<string> RunAsync(int open, int runs, string work)
    {
        var path = Path.Combine(work, $"paging-{open}.db");
        if (!File.Exists(path))
        {
            await BuildAsync(path, open);
        }

        var results = new Dictionary<string, List<double>>();
        for (var run = 0; run < runs; run++)
        {
            await using var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path });
            await store.InitializeAsync(default);
            foreach (var (measure, micros) in await MeasureAsync(store, open))
            {
                results.TryAdd(measure, []);
                results[measure].Add(micros);
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- paging --open {open} --runs {runs}`");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{open:N0} open incidents (made by the real decider, {Chunk:N0} a minute); the median over runs of each run's median, in µs.");
        text.AppendLine();
        text.AppendLine("| read | µs |");
        text.AppendLine("|---|---:|");
        foreach (var (measure, values) in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {Aging.Median(values):N0} |");
        }

        return text.ToString();
    }

    private static async Task<List<(string, double)>> MeasureAsync(SqliteIncidentStore store, int open)
    {
        var measured = new List<(string, double)>();
        foreach (var (order, name) in new[] { (IncidentOrder.Newest, "newest first"), (IncidentOrder.Due, "by SLA due") })
        {
            var lastPage = (open + 49) / 50;
            foreach (var (page, where) in new[] { (1, "first"), (lastPage / 2, "middle"), (lastPage, "last") })
            {
                var query = new IncidentQuery { Statuses = [IncidentStatus.Open], Order = order, Page = page, PageSize = 50 };
                measured.Add(($"{name}, the {where} page of 50", await TimeAsync(query, store, 20)));
            }

            var walk = Stopwatch.StartNew();
            var seen = 0;
            for (var page = 1; ; page++)
            {
                var result = await store.ListAsync(new IncidentQuery { Statuses = [IncidentStatus.Open], Order = order, Page = page, PageSize = IncidentQuery.MaxPageSize }, default);
                seen += result.Items.Count;
                if (result.Items.Count < IncidentQuery.MaxPageSize)
                {
                    break;
                }
            }

            if (seen != open)
            {
                throw new InvalidOperationException($"the walk {name} saw {seen} incidents, not {open}");
            }

            measured.Add(($"{name}, every page of {IncidentQuery.MaxPageSize}", walk.Elapsed.TotalMicroseconds));
        }

        return measured;
    }

    private static async Task<double> TimeAsync(IncidentQuery query, SqliteIncidentStore store, int repetitions)
    {
        var times = new List<double>(repetitions);
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            var page = await store.ListAsync(query, default);
            times.Add(clock.Elapsed.TotalMicroseconds);
            if (page.Items.Count == 0)
            {
                throw new InvalidOperationException($"page {query.Page} is empty");
            }
        }

        return Aging.Median(times);
    }

    private static async Task BuildAsync(string path, int open)
    {
        StoreFile.Delete(path);
        await using var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path, Synchronous = "NORMAL" });
        await store.InitializeAsync(default);
        var estate = new Estate(store, Start);
        for (var done = 0; done < open; done += Chunk)
        {
            await estate.OpenAsync(Math.Min(Chunk, open - done), Start.AddMinutes(done / Chunk));
        }
    }
}
