namespace Helpdesk.Monitoring.Spool;

/// <summary>
/// The spool's layout: <c>incoming/</c> holds one file per notification (named by TIMET so a sorted listing is oldest
/// first), <c>tmp/</c> holds files being written, <c>rejected/</c> holds what the notification command refused.
/// </summary>
public sealed record SpoolPaths(string Root)
{
    public string Incoming => Path.Combine(Root, "incoming");

    public string Temporary => Path.Combine(Root, "tmp");

    public string Rejected => Path.Combine(Root, "rejected");

    /// <summary>Creates the folders; group-writable so Nagios' user and the service's user can share them.</summary>
    public SpoolPaths EnsureExists()
    {
        foreach (var dir in new[] { Root, Incoming, Temporary, Rejected })
        {
            if (!Directory.Exists(dir))
            {
                Directory.CreateDirectory(dir, DurableFile.SharedDirectoryMode);
            }
        }

        return this;
    }
}
