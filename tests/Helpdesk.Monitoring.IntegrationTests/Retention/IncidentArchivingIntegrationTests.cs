using System.Text.Json;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Hosting;
using Helpdesk.Monitoring.Hosting.Retention;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Telemetry;
using Helpdesk.Monitoring.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Helpdesk.Monitoring.IntegrationTests.Retention;

/// <summary>
/// The retention policy run by the service's own loop against a SQLite file, with the clock moved on: closed incidents
/// leave the live tables after ArchiveAfter, expired months are exported as JSON lines and deleted, a crash between
/// the export and the delete writes the same file again (no line lost, none twice), and a link is never followed.
/// </summary>
public sealed class IncidentArchivingIntegrationTests : IAsyncLifetime
{
    private const int Routers = 5;
    private readonly TempDirectory _dir = new();
    private SqliteIncidentStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteIncidentStore(new SqliteStoreOptions { Path = _dir.Combine("helpdesk.db") });
        await _store.InitializeAsync(default);

        // Each router's interface check is merged into the router's own incident, and closed: five closed incidents.
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var notifications = Enumerable.Range(1, Routers).SelectMany(n => new[]
        {
            Records.Service(NotificationType.Problem, host: $"rtr{n:D2}", service: "IF", timeT: Records.T0 + n),
            Records.Host(NotificationType.Problem, host: $"rtr{n:D2}", timeT: Records.T0 + n + 1),
        }).ToArray();
        Assert.True((await _store.CommitAsync(Plans.Decide(decider, notifications), default)).IsCommitted);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private IncidentArchiving Archiving(TimeProvider time, RetentionPolicy policy, IIncidentArchive? archive = null, string exportDirectory = "")
    {
        var readiness = new PipelineReadiness();
        readiness.StoreOpened();
        return new IncidentArchiving(archive ?? _store, _store, () => policy, new ArchiveExport(exportDirectory.Length > 0 ? exportDirectory : _dir.Combine("export")),
            new HelpdeskMetrics(), readiness, time, NullLogger<IncidentArchiving>.Instance);
    }

    /// <summary>Storm mode off: a burst of new problems stays one incident each.</summary>
    internal static IncidentPolicy NoStorms { get; } =
        new IncidentPolicy().WithRules(RulesFile.Parse("""{ "version": 1, "correlation": { "storm": { "enabled": false } } }""").Rules!);

    private static FakeTimeProvider At(int days) => new(DateTimeOffset.FromUnixTimeSeconds(Records.T0).AddDays(days));

    [Fact]
    public async Task The_loop_asks_for_the_retention_at_each_run_and_looks_as_often_as_the_new_one_needs()
    {
        // 90 days: a run an hour. A reloaded rules file makes it an hour: a run every 6 minutes from the run that read it.
        var retention = new RetentionPolicy { ArchiveAfter = TimeSpan.FromDays(90) };
        var time = At(0);
        var counting = new CountingArchive(_store);
        var readiness = new PipelineReadiness();
        readiness.StoreOpened();
        using var archiving = new IncidentArchiving(counting, _store, () => retention, new ArchiveExport(_dir.Combine("export")), new HelpdeskMetrics(), readiness,
            time, NullLogger<IncidentArchiving>.Instance);
        await archiving.StartAsync(default);
        Assert.Equal(TimeSpan.Zero, await counting.AdvanceUntilRunsAsync(time, 1, TimeSpan.FromMinutes(5)));

        retention = new RetentionPolicy { ArchiveAfter = TimeSpan.FromHours(1) };
        Assert.Equal(TimeSpan.FromHours(1), await counting.AdvanceUntilRunsAsync(time, 2, TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromMinutes(6), await counting.AdvanceUntilRunsAsync(time, 3, TimeSpan.FromMinutes(1)));
        await archiving.StopAsync(default);
    }

    /// <summary>The store's archive, counting the retention runs (each ends by counting what is archived).</summary>
    private sealed class CountingArchive(IIncidentArchive inner) : IIncidentArchive
    {
        private int _runs;

        /// <summary>Moves the clock <paramref name="step"/> at a time until the loop has run <paramref name="runs"/> times; how far it moved.</summary>
        public async Task<TimeSpan> AdvanceUntilRunsAsync(FakeTimeProvider time, int runs, TimeSpan step)
        {
            var moved = TimeSpan.Zero;
            while (true)
            {
                // Each step waits for the loop to settle: a run under way finishes, or the timer is waited on again.
                for (var settle = 0; settle < 10 && Volatile.Read(ref _runs) < runs; settle++)
                {
                    await Task.Delay(20);
                }

                if (Volatile.Read(ref _runs) >= runs)
                {
                    Assert.Equal(runs, Volatile.Read(ref _runs));
                    return moved;
                }

                Assert.True(moved < TimeSpan.FromHours(3), $"{Volatile.Read(ref _runs)} retention runs after {moved}, {runs} expected");
                time.Advance(step);
                moved += step;
            }
        }

        public ValueTask<IReadOnlyList<long>> ClosedBeforeAsync(DateTimeOffset closedBefore, int max, CancellationToken cancellationToken) =>
            inner.ClosedBeforeAsync(closedBefore, max, cancellationToken);

        public ValueTask<int> MoveToArchiveAsync(IReadOnlyList<ArchivedIncident> incidents, CancellationToken cancellationToken) =>
            inner.MoveToArchiveAsync(incidents, cancellationToken);

        public ValueTask<IReadOnlyList<ArchivedIncident>> ExpiredAsync(DateTimeOffset closedBefore, int max, CancellationToken cancellationToken) =>
            inner.ExpiredAsync(closedBefore, max, cancellationToken);

        public ValueTask<int> DeleteArchivedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) => inner.DeleteArchivedAsync(ids, cancellationToken);

        public ValueTask<long> CountArchivedAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return inner.CountArchivedAsync(cancellationToken);
        }
    }

    [Fact]
    public async Task Closed_incidents_move_after_the_retention_and_not_before()
    {
        var policy = new RetentionPolicy { ArchiveAfter = TimeSpan.FromDays(90) };
        Assert.Equal((0L, 0L), await Archiving(At(89), policy).RunOnceAsync(default));

        Assert.Equal(((long)Routers, 0L), await Archiving(At(91), policy).RunOnceAsync(default));
        Assert.Equal(Routers, await _store.CountArchivedAsync(default));
        Assert.Equal(Routers, (await _store.ListAsync(new IncidentQuery { Archived = true, Customer = "acme" }, default)).Total);
        var live = await _store.ListAsync(new IncidentQuery(), default);
        Assert.Equal(Routers, live.Total);
        Assert.All(live.Items, i => Assert.Equal(IncidentStatus.Open, i.Status));
        Assert.Equal(TimelineKind.Merged, (await _store.GetAsync(1, default))!.Timeline[^1].Kind);

        // Run again: nothing more to do.
        Assert.Equal((0L, 0L), await Archiving(At(92), policy).RunOnceAsync(default));
    }

    [Fact]
    public async Task Expired_months_are_exported_as_json_lines_once_even_when_the_delete_fails_after_the_file()
    {
        var policy = new RetentionPolicy { ArchiveAfter = TimeSpan.FromDays(30), KeepArchiveMonths = 2, Expired = ExpiredArchive.Export };
        await Archiving(At(40), policy).RunOnceAsync(default);
        Assert.Equal(Routers, await _store.CountArchivedAsync(default));

        // The delete fails once, after the file was written: the crash this stands for loses and doubles nothing.
        var failing = new FailingDelete(_store);
        await Assert.ThrowsAsync<IOException>(async () => await Archiving(At(200), policy, failing).RunOnceAsync(default));
        Assert.Equal(Routers, await _store.CountArchivedAsync(default));
        Assert.Equal((0L, (long)Routers), await Archiving(At(200), policy).RunOnceAsync(default));

        var files = Directory.GetFiles(_dir.Combine("export"));
        Assert.Equal([Path.Combine(_dir.Combine("export"), "incidents-000000000001.jsonl")], files);
        var lines = await File.ReadAllLinesAsync(files[0]);
        Assert.Equal(Routers, lines.Length);
        var exported = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, Routers).Select(n => 2L * n + 1), exported.Select(e => e.GetProperty("incident").GetProperty("id").GetInt64()));
        Assert.All(exported, e => Assert.Equal("closed", e.GetProperty("incident").GetProperty("status").GetString()));
        Assert.All(exported, e => Assert.NotEmpty(e.GetProperty("timeline").EnumerateArray()));
        Assert.Equal(0, await _store.CountArchivedAsync(default));
        Assert.Null(await _store.GetAsync(1, default));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(files[0]));
    }

    [Fact]
    public void Runs_every_hour_or_a_tenth_of_a_short_retention()
    {
        Assert.Equal(TimeSpan.FromHours(1), Archiving(At(0), new RetentionPolicy()).RunEvery);
        Assert.Equal(TimeSpan.FromMinutes(2), Archiving(At(0), new RetentionPolicy { ArchiveAfter = TimeSpan.FromMinutes(20) }).RunEvery);
        Assert.Equal(TimeSpan.FromMinutes(1), Archiving(At(0), new RetentionPolicy { ArchiveAfter = TimeSpan.FromMinutes(5) }).RunEvery);
    }

    [Fact]
    public async Task More_than_a_slice_of_closed_incidents_moves_in_one_run()
    {
        // 250 more routers with their interface checks merged: 255 closed incidents, more than one slice of 200.
        var snapshot = await _store.LoadAsync(default);
        var decider = new IncidentDecider(NoStorms, snapshot.Live, snapshot.LastIncidentId, 0, snapshot.Members);
        Assert.True((await _store.CommitAsync(Plans.Decide(decider, [.. Enumerable.Range(100, 250).SelectMany(n => new[]
        {
            Records.Service(NotificationType.Problem, host: $"rtr{n:D3}", service: "IF", timeT: Records.T0 + 20),
            Records.Host(NotificationType.Problem, host: $"rtr{n:D3}", timeT: Records.T0 + 21),
        })]), default)).IsCommitted);

        Assert.Equal((255L, 0L), await Archiving(At(91), new RetentionPolicy()).RunOnceAsync(default));
        Assert.True(255 > IncidentArchiving.Slice);
        Assert.Equal(255, await _store.CountArchivedAsync(default));
        Assert.Equal(255, (await _store.ListAsync(new IncidentQuery(), default)).Total);
    }

    [Fact]
    public async Task An_export_directory_that_is_a_link_is_refused_and_the_archive_kept()
    {
        var elsewhere = _dir.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var link = _dir.Combine("export-link");
        File.CreateSymbolicLink(link, elsewhere);
        var policy = new RetentionPolicy { ArchiveAfter = TimeSpan.FromDays(30), KeepArchiveMonths = 2, Expired = ExpiredArchive.Export };
        await Archiving(At(40), policy).RunOnceAsync(default);

        var error = await Assert.ThrowsAsync<IOException>(async () => await Archiving(At(200), policy, exportDirectory: link).RunOnceAsync(default));
        Assert.Contains("is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(elsewhere));
        Assert.Equal(Routers, await _store.CountArchivedAsync(default));
    }

    [Fact]
    public async Task Expired_months_are_deleted_when_no_export_is_asked_for_and_kept_for_ever_with_zero_months()
    {
        await Archiving(At(40), new RetentionPolicy { ArchiveAfter = TimeSpan.FromDays(30), KeepArchiveMonths = 0 }).RunOnceAsync(default);
        Assert.Equal((0L, 0L), await Archiving(At(4000), new RetentionPolicy { ArchiveAfter = TimeSpan.FromDays(30), KeepArchiveMonths = 0 }).RunOnceAsync(default));
        Assert.Equal(Routers, await _store.CountArchivedAsync(default));

        Assert.Equal((0L, (long)Routers), await Archiving(At(200), new RetentionPolicy { ArchiveAfter = TimeSpan.FromDays(30), KeepArchiveMonths = 2 }).RunOnceAsync(default));
        Assert.False(Directory.Exists(_dir.Combine("export")));
    }

    /// <summary>The store, whose first delete of archived incidents fails as a crash or a lost connection would.</summary>
    private sealed class FailingDelete(SqliteIncidentStore store) : IIncidentArchive
    {
        public ValueTask<IReadOnlyList<long>> ClosedBeforeAsync(DateTimeOffset closedBefore, int max, CancellationToken cancellationToken) => store.ClosedBeforeAsync(closedBefore, max, cancellationToken);

        public ValueTask<int> MoveToArchiveAsync(IReadOnlyList<ArchivedIncident> incidents, CancellationToken cancellationToken) => store.MoveToArchiveAsync(incidents, cancellationToken);

        public ValueTask<IReadOnlyList<ArchivedIncident>> ExpiredAsync(DateTimeOffset closedBefore, int max, CancellationToken cancellationToken) => store.ExpiredAsync(closedBefore, max, cancellationToken);

        public ValueTask<int> DeleteArchivedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) => throw new IOException("the connection was lost");

        public ValueTask<long> CountArchivedAsync(CancellationToken cancellationToken) => store.CountArchivedAsync(cancellationToken);
    }
}
