using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Redis;

namespace Helpdesk.Monitoring.IntegrationTests.Redis;

/// <summary>The shared state against a real redis-server: round trip, TTLs, the storm window, and Redis going away.</summary>
public sealed class RedisSharedStateIntegrationTests
{
    [Fact]
    public async Task Applied_ids_and_storm_counts_written_after_a_commit_are_read_back_by_any_instance()
    {
        await using var redis = await RedisProcess.StartAsync();
        var options = new RedisOptions { Configuration = redis.Configuration, SeenTtl = TimeSpan.FromMinutes(5) };
        await using var a = await RedisSharedState.ConnectAsync(options);
        await using var b = await RedisSharedState.ConnectAsync(options);
        var applied = Enumerable.Range(0, 500).Select(_ => Guid.CreateVersion7()).ToList();
        var fresh = Guid.CreateVersion7();
        const long Now = 1_800_000_000;
        await a.WriteAsync(new SharedUpdate(applied, new Dictionary<long, int> { [Now - 1] = 30, [Now - 30] = 12, [Now - 90] = 50 }), 0, default);

        var view = await b.ReadAsync([.. applied, fresh], Now, default);
        Assert.Equal(applied.ToHashSet(), view.Applied);
        Assert.DoesNotContain(fresh, view.Applied);

        // The last minute only: the bucket 90 s ago is outside the window.
        Assert.Equal(42, view.NewProblemsLastMinute);
    }

    [Fact]
    public async Task Every_key_the_scripts_write_is_in_one_cluster_slot_under_the_prefix()
    {
        await using var redis = await RedisProcess.StartAsync();
        var options = new RedisOptions { Configuration = redis.Configuration, KeyPrefix = "{tenant-7}" };
        await using var state = await RedisSharedState.ConnectAsync(options);
        const long Now = 1_800_000_000;
        Assert.True((await state.ReadAsync([Guid.CreateVersion7()], Now, default)).RebuildFromStore);
        await state.SeedAsync([], default);
        await state.WriteAsync(new SharedUpdate([Guid.CreateVersion7(), Guid.CreateVersion7()], new Dictionary<long, int> { [Now] = 3 }), Now, default);

        await using var client = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var keys = client.GetServers().Single().Keys(pattern: "*").ToList();

        // Seen-id sets, storm seconds and the state keys all exist, all under the prefix, all in the prefix's slot.
        Assert.Contains(keys, k => ((string)k!).StartsWith("{tenant-7}:seen:", StringComparison.Ordinal));
        Assert.Contains(keys, k => ((string)k!).StartsWith("{tenant-7}:storm:", StringComparison.Ordinal));
        Assert.Contains(keys, k => (string)k! == "{tenant-7}:state:epoch");
        Assert.All(keys, k => Assert.StartsWith("{tenant-7}:", (string)k!, StringComparison.Ordinal));
        Assert.Single(keys.Select(client.HashSlot).Distinct());
        Assert.Equal(client.HashSlot("tenant-7"), client.HashSlot(keys[0]));
    }

    [Fact]
    public async Task A_redis_that_dies_fails_fast_and_comes_back_empty()
    {
        await using var redis = await RedisProcess.StartAsync();
        var lost = 0;
        await using var state = await RedisSharedState.ConnectAsync(new RedisOptions { Configuration = redis.Configuration }, () => Interlocked.Increment(ref lost));
        var id = Guid.CreateVersion7();
        await state.WriteAsync(new SharedUpdate([id], new Dictionary<long, int>()), 0, default);
        Assert.Contains(id, (await state.ReadAsync([id], 0, default)).Applied);

        redis.Kill();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await state.ReadAsync([id], 0, default));

        // A connection failure (or a timeout on the dead connection), not some other error passing for one.
        Assert.True(failure is StackExchange.Redis.RedisConnectionException or StackExchange.Redis.RedisTimeoutException, failure.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"a dead Redis took {clock.Elapsed} to fail");

        // The client's connection event said the connection was lost (the service counts it in
        // helpdesk_shared_state_failures_total{operation="connection"}).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref lost) == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.True(Volatile.Read(ref lost) > 0, "the lost connection was never told");

        // Restarted empty: nothing is known, so decisions ask the store (the committer's fallback), never wrongly "seen".
        await redis.RestartAsync();
        var view = await Eventually(() => state.ReadAsync([id], 0, default).AsTask());
        Assert.Empty(view.Applied);
    }

    private static async Task<SharedView> Eventually(Func<Task<SharedView>> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (Exception) when (attempt < 100)
            {
                // The client reconnects in the background.
                await Task.Delay(100);
            }
        }
    }
}
