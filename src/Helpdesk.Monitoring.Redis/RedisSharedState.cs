using System.Globalization;
using Helpdesk.Monitoring.Ports;
using StackExchange.Redis;

namespace Helpdesk.Monitoring.Redis;

/// <summary>
/// The shared state in Redis: one Lua script per batch to read (which ids were applied, the storm rate of the last
/// minute), one to write after the store commit (the applied ids with a TTL, new problems per second). Redis is a
/// cache in front of the store here: empty (restart, flush, new cluster) or unreachable, it only costs store look-ups.
/// </summary>
public sealed class RedisSharedState : ISharedState, IAsyncDisposable
{
    private const int RateSeconds = 60;

    // KEYS: the seen keys of the ids asked, then the 60 storm buckets. ARGV[1]: how many seen keys.
    private const string ReadScript = """
        local n = tonumber(ARGV[1])
        local out = {}
        for i = 1, n do out[i] = redis.call('EXISTS', KEYS[i]) end
        local sum = 0
        for i = n + 1, #KEYS do sum = sum + (tonumber(redis.call('GET', KEYS[i])) or 0) end
        out[n + 1] = sum
        return out
        """;

    // KEYS: seen keys, then storm buckets. ARGV[1]: how many seen keys; ARGV[2]: seen TTL (s); then one count per bucket.
    private const string WriteScript = """
        local n = tonumber(ARGV[1])
        local ttl = tonumber(ARGV[2])
        for i = 1, n do redis.call('SET', KEYS[i], '1', 'EX', ttl) end
        for i = n + 1, #KEYS do
          redis.call('INCRBY', KEYS[i], tonumber(ARGV[i - n + 2]))
          redis.call('EXPIRE', KEYS[i], 180)
        end
        return n
        """;

    private readonly RedisOptions _options;
    private readonly ConnectionMultiplexer _connection;

    private RedisSharedState(RedisOptions options, ConnectionMultiplexer connection)
    {
        _options = options;
        _connection = connection;
    }

    /// <summary>Connects without failing when Redis is down: the client keeps reconnecting, decisions fall back meanwhile.</summary>
    public static async Task<RedisSharedState> ConnectAsync(RedisOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 2000;
        return new RedisSharedState(options, await ConnectionMultiplexer.ConnectAsync(configuration));
    }

    public async ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        var ids = eventIds.ToArray();
        var keys = new RedisKey[ids.Length + RateSeconds];
        for (var i = 0; i < ids.Length; i++)
        {
            keys[i] = SeenKey(ids[i]);
        }

        for (var s = 0; s < RateSeconds; s++)
        {
            keys[ids.Length + s] = StormKey(nowUnixSeconds - s);
        }

        var result = (RedisResult[])(await _connection.GetDatabase().ScriptEvaluateAsync(ReadScript, keys, [ids.Length]))!;
        var applied = new HashSet<Guid>();
        for (var i = 0; i < ids.Length; i++)
        {
            if ((long)result[i] == 1)
            {
                applied.Add(ids[i]);
            }
        }

        return new SharedView(applied, (int)(long)result[ids.Length]);
    }

    public async ValueTask WriteAsync(SharedUpdate update, CancellationToken cancellationToken)
    {
        var buckets = update.NewProblemsBySecond.ToArray();
        var keys = new RedisKey[update.Applied.Count + buckets.Length];
        var values = new RedisValue[2 + buckets.Length];
        values[0] = update.Applied.Count;
        values[1] = (long)_options.SeenTtl.TotalSeconds;
        for (var i = 0; i < update.Applied.Count; i++)
        {
            keys[i] = SeenKey(update.Applied[i]);
        }

        for (var b = 0; b < buckets.Length; b++)
        {
            keys[update.Applied.Count + b] = StormKey(buckets[b].Key);
            values[2 + b] = buckets[b].Value;
        }

        await _connection.GetDatabase().ScriptEvaluateAsync(WriteScript, keys, values);
    }

    public async ValueTask DisposeAsync() => await _connection.CloseAsync();

    private RedisKey SeenKey(Guid id) => $"{_options.KeyPrefix}:seen:{id:N}";

    private RedisKey StormKey(long second) => $"{_options.KeyPrefix}:storm:{second.ToString(CultureInfo.InvariantCulture)}";
}
