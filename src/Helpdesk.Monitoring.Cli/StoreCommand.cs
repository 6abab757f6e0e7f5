using System.CommandLine;
using System.Globalization;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Sqlite;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk store backup DEST</c> and <c>helpdesk store restore BACKUP</c>: a consistent copy of the embedded store
/// while the service runs, and that copy put back into an empty data directory. Both find the store from the service's
/// configuration. Exit codes: 0 done, 1 refused or failed (the message says why), 2 a wrong command line.
/// </summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"The service's configuration file (default: $HELPDESK_CONFIG, else {ServiceStoreLocation.InstalledConfiguration})" };
        var database = new Option<string?>("--database") { Description = "The store's database file itself (default: from the service's configuration)" };

        var destination = new Argument<string>("DEST") { Description = "The backup file to write (must not exist)" };
        var backup = new Command("backup", "Back up the running service's store: one consistent copy, ingest goes on") { destination, config, database };
        backup.SetAction(parse => Run("backup", parse.GetValue(config), parse.GetValue(database), path => SqliteBackup.Backup(path, parse.GetValue(destination)!)));

        var source = new Argument<string>("BACKUP") { Description = "A backup made by helpdesk store backup" };
        var restore = new Command("restore", "Restore a backup into an empty data directory (the service stopped)") { source, config, database };
        restore.SetAction(parse => Run("restore", parse.GetValue(config), parse.GetValue(database), path => SqliteBackup.Restore(parse.GetValue(source)!, path, Adopt(path))));

        return new Command("store", "Back up and restore the service's embedded store (SQLite)") { backup, restore };
    }

    private static int Run(string verb, string? config, string? database, Func<string, BackupSummary> act)
    {
        var (path, error) = database is not null ? (Path.GetFullPath(database), null) : ServiceStoreLocation.Find(config);
        if (path is null)
        {
            Console.Error.WriteLine($"helpdesk store {verb}: {error}");
            return 1;
        }

        try
        {
            var s = act(path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(verb == "backup" ? "backed up" : "restored")} {path} {(verb == "backup" ? "to" : "from")} {(verb == "backup" ? s.Path : "the backup")}: {s.Incidents} incidents ({s.OpenIncidents} open, highest INC-{s.HighestIncident:D6}), schema version {s.SchemaVersion}, {s.Bytes / 1048576.0:0.0} MiB, integrity ok, in {s.Took.TotalSeconds:0.0} s"));
            return 0;
        }
        catch (BackupException ex)
        {
            Console.Error.WriteLine($"helpdesk store {verb}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"helpdesk store {verb}: {ex.Message} (run it as the service's user, or as root)");
            return 1;
        }
    }

    /// <summary>Root restoring: the database goes to whoever owns the data directory (the service's user), never stays root's.</summary>
    private static Action<FileStream>? Adopt(string database)
    {
        if (UnixStat.EffectiveUserId != 0)
        {
            return null;
        }

        var directory = Path.GetDirectoryName(database)!;
        return file =>
        {
            var (owner, group) = (UnixStat.OwnerOf(directory), UnixStat.GroupOf(directory));
            if (owner != uint.MaxValue && group >= 0 && !UnixStat.TrySetOwner(file.SafeFileHandle, owner, group))
            {
                throw new IOException($"cannot give {database} to the owner of {directory}");
            }
        };
    }
}
