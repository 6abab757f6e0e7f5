using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// Alert counts written as deltas and folded later: a count read at any moment (before a fold, after it, after a
/// crash that left deltas unfolded) is the number of alerts committed.
/// </summary>
public sealed class CounterDeltaIntegrationTests : SqliteFileTest
{
    [Fact]
    public async Task A_count_is_right_before_the_fold_and_the_same_after_the_idle_fold()
    {
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath, FoldEvery = TimeSpan.FromMilliseconds(300) });
        await store.CommitAsync(Plans.Decide(Decider, Records.Service(NotificationType.Problem, timeT: Records.T0)), default);
        for (var i = 1; i <= 30; i++)
        {
            await store.CommitAsync(Plans.Decide(Decider,
                Records.Service(NotificationType.Problem, timeT: Records.T0 + i), Records.Service(NotificationType.Problem, timeT: Records.T0 + i)), default);
        }

        var read = (await store.GetAsync(1, default))!.Incident;
        Assert.Equal(61, read.AlertCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 30), read.LastSeenAt);

        // No commit comes: the timer folds what is pending.
        for (var waited = 0; Raw("SELECT COUNT(*) FROM counter_delta") > 0; waited += 50)
        {
            Assert.True(waited < 10_000, "the pending counts were not folded within 10 s of the last commit");
            await Task.Delay(50);
        }

        Assert.Equal(61, Raw("SELECT alert_count FROM incident_counter WHERE id = 1"));
        Assert.Equal(61, (await store.GetAsync(1, default))!.Incident.AlertCount);
        Assert.Equal(61, Assert.Single((await store.LoadAsync(default)).Live).AlertCount);
    }

    [Fact]
    public async Task A_fold_runs_over_the_next_commits_a_slice_at_a_time_and_no_count_is_ever_read_twice_or_missed()
    {
        var options = new SqliteStoreOptions { Path = DbPath, FoldEvery = TimeSpan.FromHours(1), FoldAtRows = 5, FoldSlice = 2, FoldDeleteRows = 2 };
        await using (var store = await OpenAsync(options))
        {
            var steps = await RepeatAsync(store, commits: 12);

            // Started once five rows were pending, then two incidents per commit (1-2, 3-4, 5), then the cycle's rows
            // deleted two at a time from the head, and over; the next cycle starts from the rows written meanwhile.
            Assert.Equal((0L, 0L, 5L), steps[1]);
            Assert.Equal((5L, 3L, 10L), steps[2]);
            Assert.Equal((5L, 5L, 15L), steps[3]);
            Assert.Equal((5L, long.MaxValue, 20L), steps[4]);
            Assert.Equal((5L, long.MaxValue, 23L), steps[5]);
            Assert.Equal((5L, long.MaxValue, 26L), steps[6]);
            Assert.Equal((0L, 0L, 30L), steps[7]);
            Assert.Equal((35L, 3L, 35L), steps[8]);
        }

        // No count was ever behind or ahead (checked after every commit); what was left pending is folded at the start.
        await using var reopened = await OpenAsync(options);
        Assert.Equal(0, Raw("SELECT COUNT(*) FROM counter_delta"));
        Assert.Equal(Enumerable.Repeat("13", 5), Rows("SELECT alert_count FROM incident_counter ORDER BY id"));
    }

    [Fact]
    public async Task Counts_a_crash_left_in_the_middle_of_a_fold_are_folded_once_at_the_next_start()
    {
        var crashed = PathOf("crashed.db");
        await using (var store = await OpenAsync(new SqliteStoreOptions
        {
            Path = DbPath, FoldEvery = TimeSpan.FromHours(1), FoldAtRows = 5, FoldSlice = 2, FoldDeleteRows = 2,
        }))
        {
            var steps = await RepeatAsync(store, commits: 3);
            Assert.Equal((5L, 5L, 15L), steps[3]);

            // Incidents 1-4 have this cycle's counts in incident_counter, 5 has not; the rows are all still there.
            File.Copy(DbPath, crashed);
            File.Copy(DbPath + "-wal", crashed + "-wal");
        }

        await using var restarted = await OpenAsync(new SqliteStoreOptions { Path = crashed });
        Assert.Equal(0, Raw("SELECT COUNT(*) FROM counter_delta", crashed));
        Assert.Equal(["0", "0"], Rows("SELECT upto FROM counter_fold UNION ALL SELECT done_below FROM counter_fold", path: crashed));
        Assert.Equal(Enumerable.Repeat("4", 5), Rows("SELECT alert_count FROM incident_counter ORDER BY id", path: crashed));
        Assert.All((await restarted.LoadAsync(default)).Live, i => Assert.Equal(4, i.AlertCount));
    }

    /// <summary>
    /// Five incidents, then <paramref name="commits"/> commits repeating each once. After every commit each count
    /// read is checked against what was committed; returns the fold's row (upto, done_below) and the delta rows then.
    /// </summary>
    private async Task<Dictionary<int, (long Upto, long DoneBelow, long Rows)>> RepeatAsync(SqliteIncidentStore store, int commits)
    {
        var hosts = new[] { "web01", "web02", "web03", "web04", "web05" };
        await store.CommitAsync(Plans.Decide(Decider, [.. hosts.Select(h => Records.Service(NotificationType.Problem, host: h))]), default);
        var steps = new Dictionary<int, (long, long, long)>();
        for (var commit = 1; commit <= commits; commit++)
        {
            await store.CommitAsync(Plans.Decide(Decider, [.. hosts.Select(h => Records.Service(NotificationType.Problem, host: h))]), default);
            steps[commit] = (Raw("SELECT upto FROM counter_fold"), Raw("SELECT done_below FROM counter_fold"), Raw("SELECT COUNT(*) FROM counter_delta"));
            foreach (var id in Enumerable.Range(1, hosts.Length))
            {
                Assert.Equal(commit + 1, (await store.GetAsync(id, default))!.Incident.AlertCount);
            }

            Assert.All((await store.LoadAsync(default)).Live, i => Assert.Equal(commit + 1, i.AlertCount));
        }

        return steps;
    }

    [Fact]
    public async Task Counts_a_crash_left_unfolded_are_folded_at_the_next_start()
    {
        var crashed = PathOf("crashed.db");
        await using (var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath, FoldEvery = TimeSpan.FromHours(1) }))
        {
            await store.CommitAsync(Plans.Decide(Decider, Records.Service(NotificationType.Problem)), default);
            await store.CommitAsync(Plans.Decide(Decider, Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem)), default);

            // The files as a crash leaves them: the database and its WAL, copied while the store is still open.
            File.Copy(DbPath, crashed);
            File.Copy(DbPath + "-wal", crashed + "-wal");
        }

        Assert.Equal(1, Raw("SELECT COUNT(*) FROM counter_delta", crashed));
        await using var restarted = await OpenAsync(new SqliteStoreOptions { Path = crashed });
        Assert.Equal(0, Raw("SELECT COUNT(*) FROM counter_delta", crashed));
        Assert.Equal(3, Raw("SELECT alert_count FROM incident_counter WHERE id = 1", crashed));
        Assert.Equal(3, Assert.Single((await restarted.LoadAsync(default)).Live).AlertCount);
    }
}
