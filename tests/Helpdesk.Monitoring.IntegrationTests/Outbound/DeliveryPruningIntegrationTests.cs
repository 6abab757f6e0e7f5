using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Outbound;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>
/// The outbox's hourly pruning over a real SQLite store: more than one slice of old sent deliveries goes in one run,
/// the ones still within Outbound:KeepDone and the ones still waiting stay.
/// </summary>
public sealed class DeliveryPruningIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Old_sent_deliveries_go_slice_after_slice_and_recent_or_waiting_ones_stay()
    {
        var path = _dir.Combine("helpdesk.db");
        await using var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path });
        await store.InitializeAsync(default);

        // 3,000 problems opened and recovered (storm mode off, so each is its own incident): 6,000 events, each queued for two channels: 12,000 deliveries.
        var now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100);
        var plan = Plans.Decide(new IncidentDecider(Retention.IncidentArchivingIntegrationTests.NoStorms, [], 0, 0), [.. Enumerable.Range(0, 3_000).SelectMany(n => new[]
        {
            Records.Service(NotificationType.Problem, host: $"web{n:D4}"),
            Records.Service(NotificationType.Recovery, host: $"web{n:D4}", state: AlertState.Ok, output: "OK", timeT: Records.T0 + 1),
        })]);
        plan.Route(_ => ["hook", "mail"], now, TimeSpan.Zero);
        Assert.True((await store.CommitAsync(plan, default)).IsCommitted);
        Assert.Equal(12_000, plan.Deliveries.Count);

        // The hook's were sent 40 days ago, all but 100 of the mail's 10 days ago, and 100 mails still wait.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                UPDATE delivery SET state = 'sent', done_at = {now.AddDays(-40).ToUnixTimeMilliseconds()} WHERE channel = 'hook';
                UPDATE delivery SET state = 'sent', done_at = {now.AddDays(-10).ToUnixTimeMilliseconds()}
                    WHERE channel = 'mail' AND event_id NOT IN (SELECT event_id FROM delivery WHERE channel = 'mail' LIMIT 100);
                """;
            command.ExecuteNonQuery();
        }

        var logged = new List<string>();
        var pruning = new DeliveryPruning(store, new OutboundOptions(), new FakeTimeProvider(now), (message, _) => logged.Add(message));
        Assert.Equal(6_000, await pruning.PruneOnceAsync(default));
        Assert.True(6_000 > DeliveryPruning.Slice);
        Assert.Empty(logged);

        var left = (await store.BacklogAsync(default)).Single();
        Assert.Equal(("mail", 100L), (left.Channel, left.Pending));
        Assert.Equal(0, await pruning.PruneOnceAsync(default));
    }
}
