using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// The SQLite store on real database files: what is SQLite's own (files, migrations from older versions, the split
/// counter and description tables). What every store must do is in Stores/IncidentStoreContract.cs, run on SQLite too.
/// </summary>
public sealed class SqliteIncidentStoreIntegrationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private SqliteIncidentStore _store = null!;

    private string DbPath => _dir.Combine("helpdesk.db");

    public async Task InitializeAsync()
    {
        _store = new SqliteIncidentStore(new SqliteStoreOptions { Path = DbPath });
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Commits_and_loads_live_incidents_with_their_timeline()
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var plan = Plans.Decide(decider, Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem, host: "db01"),
            Records.Service(NotificationType.Recovery, host: "db01", state: AlertState.Ok));
        Assert.True((await _store.CommitAsync(plan, default)).IsCommitted);

        var snapshot = await _store.LoadAsync(default);
        Assert.Equal(2, snapshot.LastIncidentId);
        Assert.Equal(2, snapshot.Live.Count);
        Assert.True(snapshot.MaxEventUnixMs > 0);
        Assert.Equal(plan.Inserts, snapshot.Live, new RecordComparer());

        var detail = await _store.GetAsync(2, default);
        Assert.Equal([TimelineKind.Opened, TimelineKind.Resolved], detail!.Timeline.Select(e => e.Kind));
        Assert.Equal(IncidentStatus.Resolved, detail.Incident.Status);
    }

    [Fact]
    public async Task Flapping_and_routing_columns_round_trip()
    {
        var decider = new IncidentDecider(new IncidentPolicy { FlapQuietPeriod = TimeSpan.FromMinutes(5) }, [], 0, 0);
        await _store.CommitAsync(Plans.Decide(decider, Records.Service(NotificationType.Problem)), default);
        await _store.CommitAsync(Plans.Decide(decider,
            Records.Service(NotificationType.FlappingStart, timeT: Records.T0 + 10),
            Records.Service(NotificationType.FlappingStop, timeT: Records.T0 + 20)), default);

        var stored = Assert.Single((await _store.LoadAsync(default)).Live);
        Assert.False(stored.Flapping);
        Assert.Equal(1, stored.FlapCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 20) + TimeSpan.FromMinutes(5), stored.FlapQuietUntil);
        Assert.Equal(("server", "helpdesk", "L1"), (stored.Category, stored.Team, stored.Tier));
    }

    [Fact]
    public async Task History_lists_the_customers_earlier_incidents_on_the_same_host_newest_first()
    {
        var decider = new IncidentDecider(new IncidentPolicy { ReopenWindow = TimeSpan.Zero }, [], 0, 0);
        await _store.CommitAsync(Plans.Decide(decider,
            Records.Service(NotificationType.Problem, service: "HTTP", timeT: Records.T0),
            Records.Service(NotificationType.Problem, service: "Disk", timeT: Records.T0 + 10),
            Records.Service(NotificationType.Problem, host: "other", timeT: Records.T0 + 20),
            Records.Service(NotificationType.Problem, service: "SSH", customer: "globex", timeT: Records.T0 + 30),
            Records.Service(NotificationType.Recovery, service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 40),
            Records.Service(NotificationType.Problem, service: "HTTP", timeT: Records.T0 + 50)), default);

        var latest = (await _store.GetAsync(5, default))!.Incident;
        Assert.Equal("HTTP", latest.Service);
        var history = await _store.HistoryAsync(latest, 20, default);
        Assert.Equal([2L, 1L], history.Select(i => i.Id));
        Assert.Equal(IncidentStatus.Resolved, history[1].Status);
        Assert.Empty(await _store.HistoryAsync((await _store.GetAsync(1, default))!.Incident, 20, default));
    }

    [Fact]
    public async Task Lists_filtered_newest_first_and_paged()
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var notifications = Enumerable.Range(0, 12).Select(i => Records.Service(NotificationType.Problem, host: "h" + i,
            timeT: Records.T0 + i, customer: i < 4 ? "globex" : "acme", state: i % 3 == 0 ? AlertState.Warning : AlertState.Critical)).ToArray();
        await _store.CommitAsync(Plans.Decide(decider, notifications), default);

        var page = await _store.ListAsync(new IncidentQuery { Customer = "acme", PageSize = 5, Page = 1 }, default);
        Assert.Equal(8, page.Total);
        Assert.Equal(["h11", "h10", "h9", "h8", "h7"], page.Items.Select(i => i.Host));
        var warnings = await _store.ListAsync(new IncidentQuery { Priorities = [Priority.P4] }, default);
        Assert.Equal(4, warnings.Total);
        Assert.Empty((await _store.ListAsync(new IncidentQuery { Statuses = [IncidentStatus.Closed] }, default)).Items);
        Assert.Equal(1, (await _store.ListAsync(new IncidentQuery { Host = "h3" }, default)).Total);
    }

    [Fact]
    public async Task Reopening_the_file_keeps_everything_and_migrations_run_once()
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        await _store.CommitAsync(Plans.Decide(decider, Records.Service(NotificationType.Problem)), default);
        await _store.DisposeAsync();
        _store = new SqliteIncidentStore(new SqliteStoreOptions { Path = DbPath });
        await _store.InitializeAsync(default);
        Assert.Single((await _store.LoadAsync(default)).Live);

        await using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM schema_version";
        Assert.Equal((long)SqliteSchema.Latest, command.ExecuteScalar());
    }

    [Fact]
    public async Task A_version_1_database_is_migrated_at_start_keeping_its_incidents()
    {
        var path = _dir.Combine("v1.db");
        await using (var v1 = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            v1.Open();
            SqliteSchema.Migrate(v1, 1);
            using var insert = v1.CreateCommand();
            insert.CommandText = """
                INSERT INTO incident (id, instance, host, service, customer, title, status, priority, state, worst_state, last_output,
                    problem_id, opened_at, acknowledged_by, acknowledgement_comment, reopen_count, updated_at, timeline_count)
                VALUES (7, 'nagios-a', 'web01', 'HTTP', 'acme', 'web01 / HTTP is CRITICAL', 'open', 'P2', 'CRITICAL', 'CRITICAL', 'x', '', 1, '', '', 0, 1, 1);
                INSERT INTO incident_counter (id, alert_count, last_seen_at) VALUES (7, 3, 1);
                INSERT INTO incident_description (id, description) VALUES (7, 'd');
                """;
            insert.ExecuteNonQuery();
        }

        await using var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path });
        await store.InitializeAsync(default);
        var migrated = Assert.Single((await store.LoadAsync(default)).Live);
        Assert.Equal(3, migrated.AlertCount);
        Assert.Equal("", migrated.Team);
    }

    private sealed class RecordComparer : IEqualityComparer<IncidentRecord>
    {
        // Stored times are milliseconds: compare at that precision.
        public bool Equals(IncidentRecord? x, IncidentRecord? y) =>
            x! with { UpdatedAt = Ms(x.UpdatedAt) } == y! with { UpdatedAt = Ms(y.UpdatedAt) };

        public int GetHashCode(IncidentRecord obj) => obj.Id.GetHashCode();

        private static DateTimeOffset Ms(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
    }
}
