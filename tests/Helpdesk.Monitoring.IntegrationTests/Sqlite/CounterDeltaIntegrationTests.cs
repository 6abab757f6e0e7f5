using Helpdesk.Monitoring.Incidents;
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
    public async Task A_fold_adds_exactly_the_committed_counts_through_repeats_changes_and_refused_commits()
    {
        // A fold must add every committed row once: a refused plan's rows (never written) or a change's rows (besides
        // the repeats') missed or added twice would leave a count wrong once the deltas are gone. Expected: each
        // incident's count as its decider last wrote it.
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
            Counted(expected, plan);
            (repeats, changes) = (repeats + plan.Counters.Sum(c => c.AlertsAdded), changes + plan.Updates.Sum(u => u.AlertsAdded));
            if (commit % 7 == 3)
            {
                // The same plan again: its events were applied, so the store refuses it whole and writes nothing.
                Assert.False((await store.CommitAsync(plan, default)).IsCommitted);
            }

            Assert.Equal(expected.OrderBy(e => e.Key), await CountsAsync(store));

            // After a fold, the counter table and the rows left in counter_delta (read apart, not through the view)
            // add up to the decider's counts.
            var rows = Raw("SELECT COUNT(*) FROM counter_delta");
            if (rows < rowsBefore + plan.Counters.Count + plan.Updates.Count)
            {
                folds++;
                Assert.Equal(expected.OrderBy(e => e.Key).Select(e => e.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Rows("SELECT c.alert_count + COALESCE((SELECT SUM(added) FROM counter_delta d WHERE d.incident_id = c.id), 0) FROM incident_counter c ORDER BY c.id"));
            }
        }

        Assert.True(folds >= 5 && repeats > 10 && changes > 10, $"{folds} folds, {repeats} alerts added by repeats, {changes} by changes: too few to tell");
    }

    [Fact]
    public async Task Two_instances_writing_one_store_fold_each_other_s_rows_without_losing_or_doubling_any()
    {
        // Instances may share one store file: a fold by either must take the other's rows too (a fold of only the
        // rows an instance wrote itself, emptying the table, lost the other's counts).
        var options = new SqliteStoreOptions { Path = DbPath, FoldEvery = TimeSpan.FromHours(1), FoldAtRows = 4 };
        await using var a = await OpenAsync(options);
        await using var b = await OpenAsync(options);
        var instances = new[] { (Store: a, Decider, Host: "web"), (Store: b, Decider: new IncidentDecider(new IncidentPolicy(), [], 1000, 0), Host: "db") };
        var expected = new Dictionary<long, long>();
        var folds = 0;
        for (var commit = 0; commit < 24; commit++)
        {
            var (store, decider, host) = instances[commit % 2];
            var plan = Plans.Decide(decider, [.. Enumerable.Range(1, 2).Select(n => Records.Service(NotificationType.Problem, host: $"{host}0{n}", timeT: Records.T0 + commit))]);
            var rowsBefore = Raw("SELECT COUNT(*) FROM counter_delta");
            Assert.True((await store.CommitAsync(plan, default)).IsCommitted);
            Counted(expected, plan);
            folds += Raw("SELECT COUNT(*) FROM counter_delta") < rowsBefore ? 1 : 0;
            foreach (var reader in new[] { a, b })
            {
                Assert.Equal(expected.OrderBy(e => e.Key), await CountsAsync(reader));
            }
        }

        Assert.True(folds >= 3, $"only {folds} folds ran");
    }

    /// <summary>Each incident's count as the plan's decider wrote it (an insert, a repeat's counter, a change).</summary>
    private static void Counted(Dictionary<long, long> counts, CommitPlan plan)
    {
        foreach (var (id, count) in plan.Inserts.Select(i => (i.Id, i.AlertCount))
                     .Concat(plan.Counters.Select(c => (c.Id, c.AlertCount)))
                     .Concat(plan.Updates.Select(u => (u.Id, u.AlertCount))))
        {
            counts[id] = count;
        }
    }

    /// <summary>Each open incident's count as the store reads it back (through incident_row), by id.</summary>
    private static async Task<IEnumerable<KeyValuePair<long, long>>> CountsAsync(SqliteIncidentStore store) =>
        (await store.LoadAsync(default)).Live.Select(i => KeyValuePair.Create(i.Id, i.AlertCount)).OrderBy(e => e.Key);

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
