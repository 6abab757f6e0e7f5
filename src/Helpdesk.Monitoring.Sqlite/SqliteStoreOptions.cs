namespace Helpdesk.Monitoring.Sqlite;

/// <summary>Where the SQLite incident store lives and how hard it syncs.</summary>
public sealed record SqliteStoreOptions
{
    public required string Path { get; init; }

    /// <summary>
    /// FULL (default) syncs every commit, surviving power loss; NORMAL survives process crashes only, and is faster.
    /// </summary>
    public string Synchronous { get; init; } = "FULL";

    /// <summary>
    /// Alert counts are folded from their deltas at most this often under load: the counter pages are rewritten once
    /// per fold, not once per commit. A fold of a storm's 100,000 rows stalls one commit for tens of milliseconds;
    /// measured side by side, folding every second (at 20,000 rows) put the storm's p99 at 28-32 ms, every 2 s at
    /// 19 ms. Tests shorten or lengthen it.
    /// </summary>
    internal TimeSpan FoldEvery { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Fold sooner past this many delta rows: readers aggregate the pending rows on every read of incident_row (about
    /// 50 ms at 100,000 rows, during a storm only).
    /// </summary>
    internal int FoldAtRows { get; init; } = 100_000;

    /// <summary>
    /// While commits come, the WAL is copied back into the database file beside them at most this often (see
    /// WalCheckpointer). Measured (bench/results/commit-cost.md): every 20, 50 or 100 ms took a storm commit's p99
    /// from ~80 ms to 19-30 ms; the shorter the interval, the more often the same busy pages are copied (20 ms: 43 %
    /// more bytes written, 100 ms: 20-25 %).
    /// </summary>
    internal TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromMilliseconds(100);

    public string? Validate() =>
        string.IsNullOrWhiteSpace(Path) ? "Store:Sqlite:Path is required"
        : Synchronous is "FULL" or "NORMAL" or "EXTRA" ? null
        : $"Store:Sqlite:Synchronous must be FULL, NORMAL or EXTRA, not '{Synchronous}'";
}
