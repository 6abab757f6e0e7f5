namespace Helpdesk.Monitoring.Files;

/// <summary>
/// The spool's layout: <c>incoming/</c> holds one file per notification (named by TIMET so a sorted listing is oldest
/// first), <c>tmp/</c> holds files being written, <c>rejected/</c> holds what the notification command refused, and
/// <c>quarantine/</c> holds entries the service set aside because they can never be records (links, FIFOs,
/// directories, files too large or unreadable), each with a dead letter saying why.
/// </summary>
public sealed record SpoolPaths(string Root)
{
    public string Incoming => Path.Combine(Root, "incoming");

    public string Temporary => Path.Combine(Root, "tmp");

    public string Rejected => Path.Combine(Root, "rejected");

    public string Quarantine => Path.Combine(Root, "quarantine");

    /// <summary>
    /// Creates the folders group-writable with the set-group-id bit (2770), whatever the umask of the process creating
    /// them: Nagios' user writes them, the service's user reads and deletes in them, and both share the group. A folder
    /// this process owns gets any missing group bits back; one another user owns is left as its owner set it.
    /// </summary>
    public SpoolPaths EnsureExists()
    {
        foreach (var dir in new[] { Root, Incoming, Temporary, Rejected, Quarantine })
        {
            EnsureSharedDirectory(dir);
        }

        return this;
    }

    /// <summary>Creates <paramref name="directory"/> as a shared (2770) folder, or restores the group bits on one this process owns.</summary>
    public static void EnsureSharedDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            try
            {
                Directory.CreateDirectory(directory, DurableFile.SharedDirectoryMode);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                // Another process (notify, the service) created it at the same moment.
            }
        }

        var mode = File.GetUnixFileMode(directory);
        if ((mode & DurableFile.SharedDirectoryMode) != DurableFile.SharedDirectoryMode && OwnedByThisProcess(directory))
        {
            // The umask took group bits away at creation (022 leaves 2750): chmod is not subject to the umask.
            File.SetUnixFileMode(directory, mode | DurableFile.SharedDirectoryMode);
        }
    }

    private static bool OwnedByThisProcess(string path) => UnixStat.OwnerOf(path) == UnixStat.EffectiveUserId;
}
