namespace Helpdesk.Monitoring.Sqlite;

/// <summary>Where the SQLite incident store lives and how hard it syncs.</summary>
public sealed record SqliteStoreOptions
{
    public required string Path { get; init; }

    /// <summary>
    /// FULL (default) syncs every commit, surviving power loss; NORMAL survives process crashes only, and is faster.
    /// </summary>
    public string Synchronous { get; init; } = "FULL";

    public string? Validate() =>
        string.IsNullOrWhiteSpace(Path) ? "Store:Sqlite:Path is required"
        : Synchronous is "FULL" or "NORMAL" or "EXTRA" ? null
        : $"Store:Sqlite:Synchronous must be FULL, NORMAL or EXTRA, not '{Synchronous}'";
}
