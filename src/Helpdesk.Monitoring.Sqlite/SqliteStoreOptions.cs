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
    /// per fold, not once per commit. Tests shorten or lengthen it.
    /// </summary>
    internal TimeSpan FoldEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Fold sooner past this many delta rows: readers aggregate the pending rows on every read of incident_row.</summary>
    internal int FoldAtRows { get; init; } = 20_000;

    public string? Validate() =>
        string.IsNullOrWhiteSpace(Path) ? "Store:Sqlite:Path is required"
        : Synchronous is "FULL" or "NORMAL" or "EXTRA" ? null
        : $"Store:Sqlite:Synchronous must be FULL, NORMAL or EXTRA, not '{Synchronous}'";
}
