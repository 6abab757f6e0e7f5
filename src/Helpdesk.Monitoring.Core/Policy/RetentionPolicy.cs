namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// How long incidents stay where: closed incidents move to the archive <see cref="ArchiveAfter"/> after they closed;
/// archived ones are deleted or exported (<see cref="Expired"/>) once they closed more than
/// <see cref="KeepArchiveMonths"/> whole calendar months ago (0 keeps the archive for ever).
/// </summary>
public sealed record RetentionPolicy
{
    public const int MaxMonths = 1200;

    public TimeSpan ArchiveAfter { get; init; } = TimeSpan.FromDays(90);

    public int KeepArchiveMonths { get; init; } = 24;

    public ExpiredArchive Expired { get; init; } = ExpiredArchive.Delete;

    /// <summary>Incidents closed before this leave the live tables.</summary>
    public DateTimeOffset ArchiveCutoff(DateTimeOffset now) => now - ArchiveAfter;

    /// <summary>
    /// Archived incidents closed before this expire: the start of the UTC month <see cref="KeepArchiveMonths"/> months
    /// before this one, so a month of the archive goes as a whole. Null when the archive is kept for ever.
    /// </summary>
    public DateTimeOffset? ExpiryCutoff(DateTimeOffset now)
    {
        if (KeepArchiveMonths == 0)
        {
            return null;
        }

        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-KeepArchiveMonths);
    }

    /// <summary>Configuration mistakes, as sentences naming the setting.</summary>
    public IEnumerable<string> Problems(string at)
    {
        // Minutes are allowed for soaks and tests; in production an incident is read most in its first days after closing.
        if (ArchiveAfter < TimeSpan.FromMinutes(1))
        {
            yield return $"{at} archiveAfter must be at least one minute";
        }

        if (KeepArchiveMonths is < 0 or > MaxMonths)
        {
            yield return $"{at} keepArchiveMonths must be between 0 (keep for ever) and {MaxMonths}";
        }
        else if (KeepArchiveMonths > 0 && TimeSpan.FromDays(31 * KeepArchiveMonths) <= ArchiveAfter)
        {
            yield return $"{at} keepArchiveMonths must keep archived incidents longer than archiveAfter keeps them live";
        }
    }
}

/// <summary>What happens to archived incidents past their months.</summary>
public enum ExpiredArchive : byte
{
    /// <summary>Deleted.</summary>
    Delete = 1,

    /// <summary>Written to JSON lines files (one incident per line) in the export directory, then deleted.</summary>
    Export,
}
