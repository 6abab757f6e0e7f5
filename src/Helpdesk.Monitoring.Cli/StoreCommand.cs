using System.CommandLine;
using System.Diagnostics;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk store backup DEST</c> and <c>helpdesk store restore BACKUP</c>: run by the service's own program
/// (<c>helpdesk-service store …</c>), which reads the service's configuration exactly as the service does and carries
/// SQLite; this command, which Nagios also runs for every notification, carries neither. Exit codes: 0 done, 1 refused
/// or failed (the message says why), 2 a wrong command line, 3 the service's program was not found.
/// </summary>
internal static class StoreCommand
{
    public const string ProgramVariable = "HELPDESK_SERVICE_PROGRAM";

    public const string InstalledConfiguration = "/etc/helpdesk/helpdesk.json";

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"The service's configuration file (default: $HELPDESK_CONFIG, else {InstalledConfiguration} when it exists)" };
        var database = new Option<string?>("--database") { Description = "The store's database file itself (default: from the service's configuration)" };

        var destination = new Argument<string>("DEST") { Description = "The backup file to write (must not exist)" };
        var backup = new Command("backup", "Back up the running service's store: one consistent copy, ingest goes on") { destination, config, database };
        backup.SetAction(parse => Run("backup", parse.GetValue(destination)!, parse.GetValue(config), parse.GetValue(database)));

        var source = new Argument<string>("BACKUP") { Description = "A backup made by helpdesk store backup" };
        var restore = new Command("restore", "Restore a backup into an empty data directory (the service stopped)") { source, config, database };
        restore.SetAction(parse => Run("restore", parse.GetValue(source)!, parse.GetValue(config), parse.GetValue(database)));

        return new Command("store", "Back up and restore the service's embedded store (SQLite)") { backup, restore };
    }

    private static int Run(string verb, string file, string? config, string? database)
    {
        if (ServiceProgram() is not { } program)
        {
            Console.Error.WriteLine($"helpdesk store {verb}: the service's program (helpdesk-service) is not installed beside this command; set {ProgramVariable} to its path");
            return 3;
        }

        // No shell: each argument goes to the program as it is.
        var start = new ProcessStartInfo(program) { UseShellExecute = false, ArgumentList = { "store", verb, Path.GetFullPath(file) } };
        if (database is not null)
        {
            start.ArgumentList.Add("--Helpdesk:Store:Sqlite:Path");
            start.ArgumentList.Add(Path.GetFullPath(database));
        }

        // The installed configuration unless told otherwise: what the installed unit gives the service.
        config ??= Environment.GetEnvironmentVariable("HELPDESK_CONFIG") is { Length: > 0 } ? null
            : File.Exists(InstalledConfiguration) ? InstalledConfiguration : null;
        if (config is not null)
        {
            start.Environment["HELPDESK_CONFIG"] = Path.GetFullPath(config);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>$HELPDESK_SERVICE_PROGRAM, else the installed layout: /opt/helpdesk/cli/helpdesk beside /opt/helpdesk/service/.</summary>
    private static string? ServiceProgram()
    {
        if (Environment.GetEnvironmentVariable(ProgramVariable) is { Length: > 0 } named)
        {
            return named;
        }

        var installed = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "service", "helpdesk-service"));
        return File.Exists(installed) ? installed : null;
    }
}
