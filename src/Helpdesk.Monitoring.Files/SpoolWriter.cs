namespace Helpdesk.Monitoring.Files;

/// <summary>Puts a validated wire record into the spool, durably, without any network call.</summary>
public sealed class SpoolWriter(SpoolPaths paths)
{
    /// <summary>Returns the spooled file's path. Writing the same event twice keeps the first copy.</summary>
    public string Enqueue(ReadOnlySpan<byte> record, long timeT, Guid eventId)
    {
        var path = Path.Combine(paths.Incoming, SpoolFileName.For(timeT, eventId));
        try
        {
            DurableFile.Write(paths.Temporary, path, record);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Same event id, same name: already spooled, and the spool is idempotent by event id anyway.
        }

        return path;
    }
}
