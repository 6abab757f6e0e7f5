using System.Globalization;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Helpdesk.Monitoring.Hosting;

/// <summary>
/// <c>helpdesk-service store backup DEST</c> and <c>store restore BACKUP</c> (what <c>helpdesk store</c> runs): the
/// service's own program, so the store is found from exactly the configuration the service reads (appsettings.json,
/// $HELPDESK_CONFIG, the environment, --Helpdesk:... arguments), and the notification command stays free of SQLite.
/// Exit codes: 0 done, 1 refused or failed (the message says why), 2 a wrong command line.
/// </summary>
public static class StoreCommands
{
    public static int Run(string[] args)
    {
        if (args is not [("backup" or "restore") and var verb, var file, .. var settings] || file.StartsWith('-'))
        {
            Console.Error.WriteLine("usage: helpdesk store backup DEST | helpdesk store restore BACKUP  [--Helpdesk:DataDirectory DIR ...]");
            return 2;
        }

        var options = Options(settings, out var configError);
        if (configError is not null)
        {
            Console.Error.WriteLine($"helpdesk store {verb}: {configError}");
            return 1;
        }

        if (options.UsesSqlServer)
        {
            Console.Error.WriteLine($"helpdesk store {verb}: The service stores incidents in SQL Server: back it up with SQL Server's own BACKUP DATABASE and RESTORE DATABASE (docs/operations.md).");
            return 1;
        }

        var database = options.SqlitePath;
        try
        {
            var s = verb == "backup" ? SqliteBackup.Backup(database, Path.GetFullPath(file)) : SqliteBackup.Restore(Path.GetFullPath(file), database, Adopt(database));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(verb == "backup" ? $"backed up {database} to {s.Path}" : $"restored {database} from {Path.GetFullPath(file)}")}: {Held(s)}, schema version {s.SchemaVersion}, {s.Bytes / 1048576.0:0.0} MiB, integrity ok, in {s.Took.TotalSeconds:0.0} s"));
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

    /// <summary>What the copy holds, in words: "1 incident (1 open, highest INC-000001)", or "no incidents".</summary>
    private static string Held(BackupSummary s) => s.Incidents == 0 ? "no incidents" : string.Create(CultureInfo.InvariantCulture,
        $"{s.Incidents} incident{(s.Incidents == 1 ? "" : "s")} ({s.OpenIncidents} open, highest {Incidents.IncidentNumber.Format(s.HighestIncident)})");

    /// <summary>The Helpdesk section as the service binds it, from the same sources in the same order.</summary>
    private static HelpdeskOptions Options(string[] commandLine, out string? error)
    {
        // A manager, as the host's: it loads each source as it is added, so a broken HELPDESK_CONFIG file is told by
        // ConfigurationFile instead of escaping from a later Build() as a stack trace.
        using var configuration = new ConfigurationManager();
        configuration.SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables();
        error = ConfigurationFile.AddFromEnvironment(configuration).Error;
        configuration.AddEnvironmentVariables("HELPDESK_").AddCommandLine(commandLine);
        var options = new HelpdeskOptions();
        var section = configuration.GetSection(HelpdeskOptions.Section);
        // A misspelt store path would back up, or restore over, the default database instead of the one meant.
        if (error is null && UnknownSettings.In(section, typeof(HelpdeskOptions)) is { Count: > 0 } unknown)
        {
            error = string.Join("; ", unknown);
        }

        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex) when (ConfigurationValue.Explain(ex) is { } wrongValue)
        {
            error ??= wrongValue;
        }

        return options;
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
