using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// The WAL is copied back into the database file beside the commits, not by the commit that fills it: what a commit
/// wrote reaches the database file itself soon after, with no further commit, and an idle store copies nothing.
/// </summary>
public sealed class WalCheckpointIntegrationTests : SqliteFileTest
{
    [Fact]
    public async Task A_commit_reaches_the_database_file_itself_without_another_commit()
    {
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath });
        await store.CommitAsync(Plans.Decide(Decider, Records.Service(NotificationType.Problem, host: "web01")), default);

        // One small commit is far below the writer's own checkpoint (~200 MB of WAL): only the one beside it copies it.
        // The database file alone, as it is on disk (without its WAL), must come to hold the incident.
        var fileOnly = PathOf("file-only.db");
        for (var waited = 0; ; waited += 50)
        {
            if (HostsInFileAlone(fileOnly) is ["web01"])
            {
                break;
            }

            Assert.True(waited < 10_000, "the commit was not copied into the database file within 10 s");
            await Task.Delay(50);
        }

        Assert.Equal(1, Raw("SELECT COUNT(*) FROM applied_event", fileOnly));
    }

    [Fact]
    public async Task An_idle_store_runs_no_checkpoints_and_commits_run_them_at_most_once_per_interval()
    {
        var every = TimeSpan.FromMilliseconds(400);
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath, CheckpointEvery = every });
        await Task.Delay(300);
        Assert.Equal(0, store.BackgroundCheckpoints);

        // Forty commits as fast as they come: a checkpoint right after the first, then at most one per interval.
        var started = DateTime.UtcNow;
        for (var i = 0; i < 40; i++)
        {
            await store.CommitAsync(Plans.Decide(Decider, Records.Service(NotificationType.Problem, host: $"web{i:D2}")), default);
        }

        var elapsed = DateTime.UtcNow - started;
        for (var waited = 0; store.BackgroundCheckpoints == 0; waited += 20)
        {
            Assert.True(waited < 10_000, "no checkpoint ran within 10 s of the commits");
            await Task.Delay(20);
        }

        await Task.Delay(every * 3);
        var runs = store.BackgroundCheckpoints;
        Assert.InRange(runs, 1, 2 + (int)(elapsed / every));

        // Quiet again: nothing more runs.
        await Task.Delay(every * 2);
        Assert.Equal(runs, store.BackgroundCheckpoints);
    }

    /// <summary>The hosts of the incidents the database file holds by itself; none while its schema is still in the WAL.</summary>
    private List<string> HostsInFileAlone(string copy)
    {
        File.Copy(DbPath, copy, overwrite: true);
        File.Delete(copy + "-wal");
        File.Delete(copy + "-shm");
        try
        {
            return Rows("SELECT host FROM incident", path: copy);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // No schema yet (the new file's tables are in the WAL too), or a page copied while it was being written.
            return [];
        }
    }
}
