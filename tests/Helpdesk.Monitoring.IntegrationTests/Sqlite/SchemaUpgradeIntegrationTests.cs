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

        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        var before = await IncidentsAsync(service);
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

    private static async Task<Dictionary<string, (long Number, string Status, long Alerts)>> IncidentsAsync(ServiceProcess service)
    {
        var items = (await service.GetJsonAsync("/api/v1/incidents?pageSize=100")).GetProperty("items");
        return items.EnumerateArray().ToDictionary(
            i => i.GetProperty("host").GetString()!,
            i => (long.Parse(i.GetProperty("number").GetString()!["INC-".Length..], System.Globalization.CultureInfo.InvariantCulture),
                i.GetProperty("status").GetString()!, i.GetProperty("alertCount").GetInt64()));
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.Combine("helpdesk.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
