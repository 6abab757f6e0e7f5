using System.Runtime.InteropServices;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// SQLite runs without a lock per connection and without memory statistics (SqliteEngine): each connection has one
/// user at a time, so readers on many threads beside the one writer must still see every commit whole.
/// </summary>
public sealed partial class SqliteEngineIntegrationTests : SqliteFileTest
{
    [Fact]
    public async Task SQLite_keeps_no_lock_per_connection_and_no_memory_statistics()
    {
        Assert.True(SqliteEngine.Tuned, "SQLite had started before its settings were made");
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath });
        await store.CommitAsync(Plans.Decide(Decider, Records.Service(NotificationType.Problem, host: "web01")), default);

        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        Assert.Equal(IntPtr.Zero, ConnectionLock(connection.Handle!.DangerousGetHandle()));
        Assert.Equal(1, Raw("SELECT COUNT(*) FROM incident"));
        Assert.Equal(0, SQLitePCL.raw.sqlite3_memory_used());
    }

    [Fact]
    public async Task Readers_on_several_threads_beside_the_writer_see_every_commit_whole()
    {
        // Under the storm threshold (100 new problems a minute), so every problem stays an incident of its own.
        const int Hosts = 96;
        await using var store = await OpenAsync(new SqliteStoreOptions { Path = DbPath });
        using var writing = new CancellationTokenSource();

        // Each reader lists the open incidents over and over on pooled connections, on whatever thread the pool gives.
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var seen = 0L;
            var reads = 0;
            while (!writing.IsCancellationRequested || reads == 0)
            {
                var page = await store.ListAsync(new IncidentQuery { Statuses = [IncidentStatus.Open], PageSize = 1 }, default);
                Assert.True(page.Total >= seen && page.Total % 2 == 0, $"a reader saw {page.Total} open incidents after {seen}");
                seen = page.Total;
                reads++;
            }

            return reads;
        })).ToArray();

        // Each commit opens two incidents, so a reader that saw half a commit would see an odd count.
        try
        {
            for (var i = 0; i < Hosts; i += 2)
            {
                await store.CommitAsync(Plans.Decide(Decider,
                    Records.Service(NotificationType.Problem, host: $"web{i:D3}"),
                    Records.Service(NotificationType.Problem, host: $"web{i + 1:D3}")), default);
            }
        }
        finally
        {
            // A failed commit stops the readers too, so the failure is told instead of the readers reading forever.
            writing.Cancel();
        }

        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
        var all = await store.ListAsync(new IncidentQuery { Statuses = [IncidentStatus.Open], PageSize = 1 }, default);
        Assert.Equal(Hosts, all.Total);
    }

    // The connection's lock, or none when the connection was opened in multi-thread mode.
    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_db_mutex")]
    private static partial IntPtr ConnectionLock(IntPtr db);
}
