using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// Upgrades from every schema version that ever landed, each from a database made by that version's own service
/// (Fixtures/schemas/make-fixtures.sh built the commit, fed it the same notifications and kept its store): today's
/// service opens it, keeps every incident as it was, and goes on counting and numbering from where it stopped.
/// </summary>
public sealed class SchemaUpgradeIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<int> Versions => new(Enumerable.Range(1, SqliteSchema.Latest));

    private static string Fixture(int version) =>
        Path.Combine(Programs.Root, "tests", "Helpdesk.Monitoring.IntegrationTests", "Fixtures", "schemas", $"v{version}.db");

    [Fact]
    public void Every_schema_version_has_a_fixture_made_by_its_own_code()
    {
        var missing = Enumerable.Range(1, SqliteSchema.Latest).Where(v => !File.Exists(Fixture(v))).ToList();
        Assert.True(missing.Count == 0,
            $"no fixture for schema version {string.Join(", ", missing)}: run Fixtures/schemas/make-fixtures.sh VERSION:COMMIT with the commit that introduced it");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_store_made_by_an_earlier_version_opens_upgraded_and_goes_on_from_where_it_stopped(int version)
    {
        File.Copy(Fixture(version), _dir.Combine("helpdesk.db"));
        Assert.Equal(version, Scalar("SELECT MAX(version) FROM schema_version"));
        var history = $"SELECT COUNT(*) FROM timeline WHERE seq = 1{(version >= 6 ? " AND incident_id IN (SELECT incident_id FROM incident_event WHERE seq = 1)" : "")}";
        var opened = Scalar(history);
        var timeline = Lines(Timeline);

        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        var before = await IncidentsAsync(service);

        // Every timeline entry reads back as it was (v12 reads the timeline from the outbox); the clock may have added
        // entries since the start (escalations of these old incidents), never changed one.
        Assert.Empty(timeline.Except(Lines(Timeline)));

        // The history moved with the tables it lives in (v11 rebuilt the timeline and the outbox).
        Assert.True(opened >= 4, $"the v{version} fixture holds {opened} opening entries, not one per incident");
        Assert.Equal(opened, Scalar(history));
        Assert.Equal(["core-rtr01", "db01", "fs01", "web01"], before.Keys.Order());
        Assert.Equal(("open", 2L), (before["fs01"].Status, before["fs01"].Alerts));
        Assert.Equal("open", before["core-rtr01"].Status);
        Assert.Equal("open", before["db01"].Status);
        Assert.Contains(before["web01"].Status, new[] { "resolved", "closed" });

        // A repeat counts on the incident it had; a new problem takes the next number.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await service.IngestAsync(
            Records.Service(NotificationType.Problem, host: "fs01", service: "Disk", output: "DISK CRITICAL - 1% free", timeT: now),
            Records.Service(NotificationType.Problem, host: "app01", service: "HTTP", timeT: now));
        var after = await IncidentsAsync(service);
        Assert.Equal((before["fs01"].Number, 3L), (after["fs01"].Number, after["fs01"].Alerts));
        Assert.Equal(before.Values.Max(i => i.Number) + 1, after["app01"].Number);
        Assert.Equal(SqliteSchema.Latest, Scalar("SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    public async Task An_older_service_refuses_a_store_a_newer_one_migrated_and_says_why()
    {
        // What an old instance sees when it restarts after a new one upgraded the shared store (a rolling upgrade in
        // scale-out, or going back without restoring the backup): it stops with a sentence instead of writing.
        File.Copy(Fixture(SqliteSchema.Latest), _dir.Combine("helpdesk.db"));
        using (var connection = new SqliteConnection($"Data Source={_dir.Combine("helpdesk.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO schema_version (version) VALUES ({SqliteSchema.Latest + 1})";
            command.ExecuteNonQuery();
        }

        await using var service = await ServiceProcess.StartAsync(_dir.Path, waitReady: false);
        Assert.Equal(1, await service.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"the database schema is version {SqliteSchema.Latest + 1}, newer than this service knows ({SqliteSchema.Latest}); upgrade the service",
            service.Output, StringComparison.Ordinal);
        Assert.Equal(SqliteSchema.Latest + 1, Scalar("SELECT MAX(version) FROM schema_version"));
    }

    /// <summary>Each spool backlog with the store of the same era: the notify of that commit, the schema it had.</summary>
    public static TheoryData<int, string> Backlogs => new() { { 1, "34d1392" }, { 8, "556a87c" } };

    [Theory]
    [MemberData(nameof(Backlogs))]
    public async Task A_spool_backlog_written_by_an_older_notify_is_taken_in_by_the_upgraded_service(int version, string notifyCommit)
    {
        // As if the old service was stopped for the upgrade while Nagios kept notifying: its store, and a spool
        // backlog its notify wrote (Fixtures/spools/make-spool-fixtures.sh).
        File.Copy(Fixture(version), _dir.Combine("helpdesk.db"));
        var backlog = Path.Combine(Programs.Root, "tests", "Helpdesk.Monitoring.IntegrationTests", "Fixtures", "spools", notifyCommit);
        var incoming = Path.Combine(_dir.Combine("spool"), "incoming");
        Directory.CreateDirectory(incoming);
        var files = Directory.GetFiles(Path.Combine(backlog, "incoming"));
        Assert.Equal(3, files.Length);
        foreach (var file in files)
        {
            File.Copy(file, Path.Combine(incoming, Path.GetFileName(file)));
        }

        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        var taken = new Dictionary<string, (long Number, string Status, long Alerts)>();
        await service.EventuallyAsync(async () =>
        {
            taken = await IncidentsAsync(service);
            return taken.ContainsKey("mail01") && taken["fs01"].Alerts == 3 && taken["db01"].Status == "acknowledged";
        }, TimeSpan.FromSeconds(30), () => $"the backlog of {notifyCommit}'s notify was not taken in: {string.Join(", ", taken.Select(t => $"{t.Key} {t.Value}"))}");

        // The repeat counted on fs01's incident, the acknowledgement reached db01's, mail01 took the next number.
        Assert.Equal(5, taken["mail01"].Number);
        Assert.Empty(Directory.GetFiles(incoming));
        Assert.False(Directory.Exists(_dir.Combine("dead-letter")) && Directory.EnumerateFiles(_dir.Combine("dead-letter"), "*", SearchOption.AllDirectories).Any(),
            "a record of the older notify was refused");
    }

    private static async Task<Dictionary<string, (long Number, string Status, long Alerts)>> IncidentsAsync(ServiceProcess service)
    {
        var items = (await service.GetJsonAsync("/api/v1/incidents?pageSize=100")).GetProperty("items");
        return items.EnumerateArray().ToDictionary(
            i => i.GetProperty("host").GetString()!,
            i => (long.Parse(i.GetProperty("number").GetString()!["INC-".Length..], System.Globalization.CultureInfo.InvariantCulture),
                i.GetProperty("status").GetString()!, i.GetProperty("alertCount").GetInt64()));
    }

    private const string Timeline = "SELECT incident_id || ':' || seq || ':' || at || ':' || kind || ':' || quote(event_id) || ':' || text FROM timeline";

    private List<string> Lines(string sql)
    {
        using var connection = OpenReadOnly();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private long Scalar(string sql)
    {
        using var connection = OpenReadOnly();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private SqliteConnection OpenReadOnly()
    {
        var connection = new SqliteConnection($"Data Source={_dir.Combine("helpdesk.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
