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
    public async Task A_commit_that_would_pass_the_row_bound_folds_the_rows_before_its_own()
    {
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath, FoldEvery = TimeSpan.FromHours(1), FoldAtRows = 5 });
        var hosts = new[] { "web01", "web02", "web03" };
        await store.CommitAsync(Plans.Decide(Decider, [.. hosts.Select(h => Records.Service(NotificationType.Problem, host: h))]), default);
        await store.CommitAsync(Plans.Decide(Decider, [.. hosts.Select(h => Records.Service(NotificationType.Problem, host: h))]), default);
        Assert.Equal(3, Raw("SELECT COUNT(*) FROM counter_delta"));
        Assert.Equal(1, Raw("SELECT alert_count FROM incident_counter WHERE id = 1"));

        // 3 pending and 3 more would pass 5: the earlier three are folded, this commit's wait for the next fold.
        await store.CommitAsync(Plans.Decide(Decider, [.. hosts.Select(h => Records.Service(NotificationType.Problem, host: h))]), default);
        Assert.Equal(3, Raw("SELECT COUNT(*) FROM counter_delta"));
        Assert.Equal([2, 2, 2], Enumerable.Range(1, 3).Select(id => Raw($"SELECT alert_count FROM incident_counter WHERE id = {id}")));
        Assert.All((await store.LoadAsync(default)).Live, i => Assert.Equal(3, i.AlertCount));
    }

    [Fact]
    public async Task A_fold_adds_exactly_the_committed_counts_through_repeats_changes_and_refused_commits()
    {
        // The fold adds the sums the writer kept for the rows it committed; a row it never committed (a refused plan)
        // or forgot (a change's, or the rows of a commit that folded) would leave a count wrong once the deltas are
        // gone. Expected: each incident's count as its decider last wrote it.
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath, FoldEvery = TimeSpan.FromHours(1), FoldAtRows = 7 });
        var random = new Random(15);
        var hosts = new[] { "web01", "web02", "web03", "web04" };
        var states = new[] { (AlertState.Warning, "WARNING - slow"), (AlertState.Critical, "CRITICAL - connection refused") };
        var expected = new Dictionary<long, long>();
        var (folds, repeats, changes) = (0, 0L, 0L);
        for (var commit = 0; commit < 60; commit++)
        {
            var notifications = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
            {
                var (state, output) = states[random.Next(states.Length)];
                return Records.Service(NotificationType.Problem, host: hosts[random.Next(hosts.Length)], state: state, output: output, timeT: Records.T0 + commit);
            }).ToArray();
            var plan = Plans.Decide(Decider, notifications);
            var rowsBefore = Raw("SELECT COUNT(*) FROM counter_delta");
            Assert.True((await store.CommitAsync(plan, default)).IsCommitted);
            foreach (var (id, count) in plan.Inserts.Select(i => (i.Id, i.AlertCount)).Concat(plan.Counters.Select(c => (c.Id, c.AlertCount))).Concat(plan.Updates.Select(u => (u.Id, u.AlertCount))))
            {
                expected[id] = count;
            }

            (repeats, changes) = (repeats + plan.Counters.Sum(c => c.AlertsAdded), changes + plan.Updates.Sum(u => u.AlertsAdded));
            if (commit % 7 == 3)
            {
                // The same plan again: its events were applied, so the store refuses it whole and writes nothing.
                Assert.False((await store.CommitAsync(plan, default)).IsCommitted);
            }

            Assert.Equal(expected.OrderBy(e => e.Key), (await store.LoadAsync(default)).Live.Select(i => KeyValuePair.Create(i.Id, i.AlertCount)).OrderBy(e => e.Key));

            // A fold takes the rows before the commit's own: then the counter table holds everything but this commit's.
            var own = plan.Counters.Select(c => (c.Id, c.AlertsAdded)).Concat(plan.Updates.Select(u => (u.Id, u.AlertsAdded))).ToList();
            var rows = Raw("SELECT COUNT(*) FROM counter_delta");
            if (rows < rowsBefore + own.Count)
            {
                folds++;
                Assert.Equal(own.Count, rows);
                Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Value - own.Where(o => o.Id == e.Key).Sum(o => o.AlertsAdded)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Rows("SELECT alert_count FROM incident_counter ORDER BY id"));
            }
        }

        Assert.True(folds >= 5 && repeats > 10 && changes > 10, $"{folds} folds, {repeats} alerts added by repeats, {changes} by changes: too few to tell");
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
