using System.Collections.Concurrent;
using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// <c>helpdesk store backup</c> and <c>restore</c>, with the native command as installed: a backup taken while
/// notifications keep arriving, restored into a new data directory where a new service finds every incident committed
/// before the backup began; and the refusals, each a sentence.
/// </summary>
public sealed class StoreBackupIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_backup_under_load_restores_into_a_new_directory_with_every_incident_committed_before_it()
    {
        var (live, restored, backup) = (_dir.Combine("live"), _dir.Combine("restored"), _dir.Combine("backups/helpdesk-backup.db"));
        Directory.CreateDirectory(live);
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        var committed = new ConcurrentQueue<string>();

        // Storm mode off: each host's problem stays its own incident, so the check below can name each one.
        var rules = _dir.Combine("rules.json");
        await File.WriteAllTextAsync(rules, """{ "version": 1, "correlation": { "storm": { "enabled": false } } }""");
        var settings = new Dictionary<string, string> { ["Helpdesk__RulesPath"] = rules };
        await using (var service = await ServiceProcess.StartAsync(live, settings))
        {
            using var stop = new CancellationTokenSource();
            var load = Task.Run(async () =>
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var hosts = Enumerable.Range(0, 20).Select(i => $"b{batch:D5}-{i:D2}").ToArray();
                    await service.IngestAsync(hosts.Select(h => Records.Service(NotificationType.Problem, host: h, timeT: now)).ToArray());
                    foreach (var host in hosts)
                    {
                        committed.Enqueue(host);
                    }
                }
            });
            await service.EventuallyAsync(() => Task.FromResult(committed.Count >= 2_000), TimeSpan.FromSeconds(60), "the first 2,000 notifications to commit");

            // Answered means committed: everything answered before the backup starts must be in it.
            var before = committed.ToArray();
            var (code, stdout, stderr) = await Helpdesk(["store", "backup", backup], live);
            Assert.True(code == 0, stderr);
            Assert.Contains("integrity ok", stdout, StringComparison.Ordinal);
            await service.EventuallyAsync(() => Task.FromResult(committed.Count >= before.Length + 200), TimeSpan.FromSeconds(60), "notifications to go on committing after the backup");
            await stop.CancelAsync();
            await load;

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            (code, stdout, stderr) = await Helpdesk(["store", "restore", backup], restored);
            Assert.True(code == 0, stderr);
            Assert.Contains("restored", stdout, StringComparison.Ordinal);
            Assert.Equal("ok", Scalar(Path.Combine(restored, "helpdesk.db"), "PRAGMA integrity_check"));

            await using var second = await ServiceProcess.StartAsync(restored, settings);
            var hosts = await HostsAsync(second);
            var missing = before.Where(h => !hosts.Contains(h)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of the {before.Length} incidents committed before the backup are missing, first {string.Join(", ", missing.Take(5))}");
            Assert.True(hosts.Count < committed.Count, "the backup holds what was committed when it began, not what came after");
        }
    }

    [Fact]
    public async Task Backup_and_restore_refuse_what_they_must_not_do_and_say_why()
    {
        var live = _dir.Combine("live");
        Directory.CreateDirectory(live);
        await using (var service = await ServiceProcess.StartAsync(live))
        {
            await service.IngestAsync(Records.Service(NotificationType.Problem, timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        }

        var exists = _dir.Combine("exists.db");
        await File.WriteAllTextAsync(exists, "keep me");
        var (code, _, stderr) = await Helpdesk(["store", "backup", exists], live);
        Assert.Equal(1, code);
        Assert.Contains("already exists: a backup never overwrites anything", stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(exists));

        var good = _dir.Combine("good.db");
        var took = await Helpdesk(["store", "backup", good], live);
        Assert.True(took.ExitCode == 0, took.Stderr);
        Assert.Contains(": 1 incident (1 open, highest INC-000001), schema version", took.Stdout, StringComparison.Ordinal);
        (code, _, stderr) = await Helpdesk(["store", "restore", good], live);
        Assert.Equal(1, code);
        Assert.Contains("restore only into an empty data directory", stderr, StringComparison.Ordinal);

        var garbage = _dir.Combine("garbage.db");
        await File.WriteAllBytesAsync(garbage, Enumerable.Range(0, 8192).Select(i => (byte)(i * 31)).ToArray());
        var empty = _dir.Combine("empty");
        (code, _, stderr) = await Helpdesk(["store", "restore", garbage], empty);
        Assert.Equal(1, code);
        Assert.Contains("is not a helpdesk store SQLite can read", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(empty, "helpdesk.db")), "nothing is put in place from a damaged backup");

        // A misspelt path would back up the default database instead of the one meant (and restore over it).
        var misspelt = _dir.Combine("misspelt.db");
        (code, _, stderr) = await Helpdesk(["store", "backup", misspelt], live, new() { ["Helpdesk__Store__Sqlite__Pth"] = Path.Combine(live, "helpdesk.db") });
        Assert.Equal(1, code);
        Assert.Contains("Helpdesk:Store:Sqlite:Pth is not a setting the service knows, so it would be ignored (did you mean Helpdesk:Store:Sqlite:Path?)",
            stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(misspelt));

        // A broken configuration file is told, with where it is broken, not thrown as a stack trace.
        var broken = _dir.Combine("helpdesk.json");
        await File.WriteAllTextAsync(broken, "{\"Helpdesk\": {\"Store\": {}}\n");
        (code, _, stderr) = await Helpdesk(["store", "backup", misspelt], live, new() { ["HELPDESK_CONFIG"] = broken });
        Assert.Equal(1, code);
        Assert.Contains($"HELPDESK_CONFIG names {broken}, which cannot be used: not valid JSON at line 2, byte 1: an object or array is not closed",
            stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(misspelt));

        // A store that has not opened an incident yet says so, rather than naming INC-000000.
        var fresh = _dir.Combine("fresh");
        Directory.CreateDirectory(fresh);
        await using (await ServiceProcess.StartAsync(fresh))
        {
        }

        var nothing = await Helpdesk(["store", "backup", _dir.Combine("nothing.db")], fresh);
        Assert.True(nothing.ExitCode == 0, nothing.Stderr);
        Assert.Contains(": no incidents, schema version", nothing.Stdout, StringComparison.Ordinal);

        var (sqlServer, _, why) = await Helpdesk(["store", "backup", _dir.Combine("x.db")], live, new() { ["Helpdesk__Store__Provider"] = "sqlserver" });
        Assert.Equal(1, sqlServer);
        Assert.Contains("SQL Server's own BACKUP DATABASE", why, StringComparison.Ordinal);
    }

    /// <summary>
    /// The native command as installed, which runs the service's program (named here: the test uses the build) and
    /// finds the store from the service's configuration (here: its environment).
    /// </summary>
    private static Task<(int ExitCode, string Stdout, string Stderr)> Helpdesk(string[] arguments, string dataDirectory, Dictionary<string, string?>? more = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Helpdesk__DataDirectory"] = dataDirectory,
            ["HELPDESK_CONFIG"] = null,
            ["HELPDESK_SERVICE_PROGRAM"] = Path.ChangeExtension(Programs.Service, null),
        };
        foreach (var (name, value) in more ?? [])
        {
            environment[name] = value;
        }

        return ExternalCommand.RunAsync(Programs.NativeCli, arguments, environment, timeout: TimeSpan.FromMinutes(2));
    }

    private static async Task<HashSet<string>> HostsAsync(ServiceProcess service)
    {
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var items = (await service.GetJsonAsync($"/api/v1/incidents?pageSize=500&page={page}")).GetProperty("items");
            if (items.GetArrayLength() == 0)
            {
                return hosts;
            }

            foreach (var item in items.EnumerateArray())
            {
                hosts.Add(item.GetProperty("host").GetString()!);
            }
        }
    }

    private static string Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
