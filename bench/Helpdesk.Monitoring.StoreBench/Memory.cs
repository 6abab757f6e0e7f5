using System.Globalization;
using System.Runtime;
using System.Text;
using Helpdesk.Monitoring.Sqlite;

namespace Helpdesk.Monitoring.StoreBench;

/// <summary>
/// What the service's memory holds per open incident: the decider's live state (the incident, its identity and
/// names, its index entries and clocks, the applied-event window), as the managed heap after a full, compacting
/// collection. Measured twice, on the side-by-side's estate: as the incidents were opened from notifications, and as
/// a start rebuilds them from the store. The store's own caches are native and not counted here; the service's RSS
/// is measured end to end by the side-by-side.
/// </summary>
internal static class Memory
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static async Task<string> RunAsync(int customers, int hosts, int services, string work)
    {
        var open = customers * hosts * services;
        var path = Path.Combine(work, $"memory-{open}.db");
        StoreFile.Delete(path);

        long opened;
        await using (var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path, Synchronous = "NORMAL" }))
        {
            await store.InitializeAsync(default);
            var before = LiveBytes();
            var estate = new Estate(store, Start);
            await estate.OpenEstateAsync(customers, hosts, services, Start);
            opened = LiveBytes() - before;
            GC.KeepAlive(estate);
        }

        long rebuilt;
        (TimeSpan Took, bool Changed) firstTurn;
        await using (var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path }))
        {
            await store.InitializeAsync(default);
            var before = LiveBytes();
            var estate = await RebuildAsync(store);
            rebuilt = LiveBytes() - before;
            firstTurn = estate.FirstTurn(Start);
        }

        StoreFile.Delete(path);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- memory --customers {customers} --hosts {hosts} --services {services}`");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{open:N0} open incidents ({customers} customers × {hosts} hosts × {services} services, ~200-byte outputs); the managed heap the decider keeps, after a full compacting collection.");
        text.AppendLine();
        text.AppendLine("| state | MiB | bytes per open incident |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| as opened from notifications | {opened / 1048576.0:N1} | {opened / open:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| as rebuilt from the store at start | {rebuilt / 1048576.0:N1} | {rebuilt / open:N0} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"The rebuilt decider's first turn, which goes through every failing alert for incidents it explains: {firstTurn.Took.TotalMilliseconds:N1} ms ({(firstTurn.Changed ? "it changed something: a bug, each incident here stands alone" : "nothing to merge")}).");
        return text.ToString();
    }

    // Its own method, as the service's start is: the snapshot is garbage once the decider is built.
    private static async Task<Estate> RebuildAsync(SqliteIncidentStore store) => new(store, Start, await store.LoadAsync(default));

    private static long LiveBytes()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
