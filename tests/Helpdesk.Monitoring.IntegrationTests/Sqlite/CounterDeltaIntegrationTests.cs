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
    public async Task A_commit_folds_once_enough_rows_are_pending()
    {
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath, FoldEvery = TimeSpan.FromHours(1), FoldAtRows = 5 });
        var hosts = new[] { "web01", "web02", "web03" };
        await store.CommitAsync(Plans.Decide(Decider, [.. hosts.Select(h => Records.Service(NotificationType.Problem, host: h))]), default);
        await store.CommitAsync(Plans.Decide(Decider, [.. hosts.Select(h => Records.Service(NotificationType.Problem, host: h))]), default);
        Assert.Equal(3, Raw("SELECT COUNT(*) FROM counter_delta"));
        Assert.Equal(1, Raw("SELECT alert_count FROM incident_counter WHERE id = 1"));

        await store.CommitAsync(Plans.Decide(Decider, [.. hosts.Select(h => Records.Service(NotificationType.Problem, host: h))]), default);
        Assert.Equal(0, Raw("SELECT COUNT(*) FROM counter_delta"));
        Assert.Equal([3, 3, 3], Enumerable.Range(1, 3).Select(id => Raw($"SELECT alert_count FROM incident_counter WHERE id = {id}")));
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
