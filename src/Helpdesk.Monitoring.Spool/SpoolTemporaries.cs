namespace Helpdesk.Monitoring.Spool;

/// <summary>
/// Removes temporary files a writer left behind when it was killed mid-write (<c>notify</c> killed by Nagios'
/// notification_timeout, a crash). A write takes milliseconds, so a temporary file older than the age given is
/// abandoned: the record it held was never renamed into <c>incoming/</c>, and Nagios was told the command failed.
/// </summary>
public static class SpoolTemporaries
{
    /// <summary>Deletes regular <c>*.tmp</c> files older than <paramref name="age"/>; returns how many.</summary>
    public static int RemoveAbandoned(string directory, DateTimeOffset now, TimeSpan age, Action<string, Exception?> log)
    {
        var removed = 0;
        try
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFiles("*.tmp"))
            {
                // A link is removed as a link (never followed); only what is old enough goes.
                if (entry.LastWriteTimeUtc < (now - age).UtcDateTime && TryDelete(entry, log))
                {
                    removed++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log($"cannot list temporary files in {directory}", ex);
        }

        return removed;
    }

    private static bool TryDelete(FileInfo entry, Action<string, Exception?> log)
    {
        try
        {
            entry.Delete();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log($"cannot remove the abandoned temporary file {entry.FullName}", ex);
            return false;
        }
    }
}
