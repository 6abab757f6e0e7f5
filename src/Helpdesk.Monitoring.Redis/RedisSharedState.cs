using System.Globalization;
using System.Text.Json;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using StackExchange.Redis;

namespace Helpdesk.Monitoring.Redis;

/// <summary>
/// The shared state in Redis: one script per batch to read (applied ids, the storm rate of the last minute, the
/// incidents other instances changed since this one's cursor in the change log), one to write after the store commit.
/// An epoch key says the state is whole: missing (restart, flush, new cluster) or not this instance's, the instance
/// rebuilds from the store and seeds it; the first seeder's epoch wins.
/// </summary>
public sealed class RedisSharedState : ISharedState, IAsyncDisposable
{
    private const int RateSeconds = 60;

    /// <summary>More changes than this since the last read (a long pause): rebuilding from the store is cheaper.</summary>
    private const int MostChangesPerRead = 20_000;

    private const int SeedChunk = 256;

    private readonly RedisOptions _options;
    private readonly ConnectionMultiplexer _connection;

    // Which writer this process is: its own changes are in its decider already, so it skips them in the log.
    private readonly string _writer = Guid.NewGuid().ToString("N");
    private string _epoch = "";
    private long _cursor;
    private (string Epoch, long Version) _rebuildFrom = ("", 0);

    private RedisSharedState(RedisOptions options, ConnectionMultiplexer connection)
    {
        _options = options;
        _connection = connection;
    }

    /// <summary>Connects without failing when Redis is down: the client keeps reconnecting, decisions fall back meanwhile.</summary>
    /// <param name="connectionLost">Told when the connection to Redis is lost: the metrics count it.</param>
    public static async Task<RedisSharedState> ConnectAsync(RedisOptions options, Action? connectionLost = null)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 2000;
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);

        // A lost connection is counted when it happens, not only when the next batch's read or write fails on it.
        connection.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                connectionLost?.Invoke();
            }
        };
        return new RedisSharedState(options, connection);
    }

    public async ValueTask<SharedView> ReadAsync(IReadOnlyCollection<Guid> eventIds, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        var buckets = ByMinute(eventIds);
        var keys = new RedisKey[buckets.Count + RateSeconds + 5];
        var values = new List<RedisValue>(5 + buckets.Count + eventIds.Count) { buckets.Count, _epoch, _cursor, MostChangesPerRead, _writer };
        var order = new List<Guid>(eventIds.Count);
        for (var i = 0; i < buckets.Count; i++)
        {
            keys[i] = SeenKey(buckets[i].Minute);
            values.Add(buckets[i].Ids.Count);
            foreach (var id in buckets[i].Ids)
            {
                values.Add(Bytes(id));
                order.Add(id);
            }
        }

        for (var s = 0; s < RateSeconds; s++)
        {
            keys[buckets.Count + s] = StormKey(nowUnixSeconds - s);
        }

        (keys[^5], keys[^4], keys[^3], keys[^2], keys[^1]) = (Key("incidents"), Key("log"), Key("version"), Key("floor"), Key("epoch"));
        var result = (RedisResult[])(await _connection.GetDatabase().ScriptEvaluateAsync(RedisScripts.Read, keys, [.. values]))!;
        var applied = new HashSet<Guid>();
        for (var i = 0; i < order.Count; i++)
        {
            if ((long)result[i] == 1)
            {
                applied.Add(order[i]);
            }
        }

        return ChangesFrom(result, order.Count, applied);
    }

    /// <summary>
    /// The end both scripts return from position <paramref name="n"/>: the storm sum, the epoch, the version, then the
    /// values changed since this instance's cursor (or -1: rebuild from the store, from this epoch and version).
    /// </summary>
    private SharedView ChangesFrom(RedisResult[] result, int n, IReadOnlySet<Guid> applied)
    {
        var stormRate = (int)(long)result[n];
        var (epoch, version, count) = ((string?)result[n + 1] ?? "", (long)result[n + 2], (long)result[n + 3]);
        if (count < 0)
        {
            _rebuildFrom = (epoch, version);
            return new SharedView(applied, stormRate) { RebuildFromStore = true };
        }

        var changed = new List<LiveIncident>();
        var members = new List<AlertMember>();
        for (var i = 0; i < count; i++)
        {
            try
            {
                var value = (string?)result[n + 4 + i] ?? "";
                if (SharedIncidentCodec.IsMember(value))
                {
                    if (SharedIncidentCodec.DecodeMember(value, _writer) is { } member)
                    {
                        members.Add(member);
                    }
                }
                else if (SharedIncidentCodec.Decode(value, _writer) is { } incident)
                {
                    changed.Add(incident);
                }
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                // Unreadable (a version of this service with another format wrote it): the store knows; rebuild from
                // it and go on after this change rather than stumble on it every batch.
                _rebuildFrom = (epoch, version);
                return new SharedView(applied, stormRate) { RebuildFromStore = true };
            }
        }

        _cursor = version;
        return new SharedView(applied, stormRate) { Changed = changed, ChangedMembers = members };
    }

    public async ValueTask<SharedView> WriteAsync(SharedUpdate update, long nowUnixSeconds, CancellationToken cancellationToken)
    {
        var seen = ByMinute(update.Applied);
        var storm = update.NewProblemsBySecond.ToArray();
        var keys = new RedisKey[seen.Count + storm.Length + RateSeconds + 6];
        var values = new List<RedisValue>(9 + storm.Length + seen.Count + update.Applied.Count + (3 * update.Incidents.Count))
        {
            seen.Count, (long)_options.SeenTtl.TotalSeconds, storm.Length, _options.LogWindow, _epoch, _cursor, MostChangesPerRead, _writer,
        };
        for (var b = 0; b < storm.Length; b++)
        {
            keys[seen.Count + b] = StormKey(storm[b].Key);
            values.Add(storm[b].Value);
        }

        for (var s = 0; s < RateSeconds; s++)
        {
            keys[seen.Count + storm.Length + s] = StormKey(nowUnixSeconds - s);
        }

        for (var i = 0; i < seen.Count; i++)
        {
            keys[i] = SeenKey(seen[i].Minute);
            values.Add(seen[i].Ids.Count);
            values.AddRange(seen[i].Ids.Select(id => (RedisValue)Bytes(id)));
        }

        values.Add(update.Incidents.Count);
        foreach (var incident in update.Incidents)
        {
            values.Add(incident.Id);
            values.Add(incident.Revision);
            values.Add(SharedIncidentCodec.Encode(incident with { Members = [] }, _writer));
        }

        foreach (var member in update.Incidents.SelectMany(i => i.Members))
        {
            values.Add(SharedIncidentCodec.MemberField(member));
            values.Add(SharedIncidentCodec.Encode(member, _writer));
        }

        (keys[^6], keys[^5], keys[^4], keys[^3], keys[^2], keys[^1]) =
            (Key("incidents"), Key("revisions"), Key("log"), Key("version"), Key("floor"), Key("epoch"));
        var result = (RedisResult[])(await _connection.GetDatabase().ScriptEvaluateAsync(RedisScripts.Write, keys, [.. values]))!;
        return ChangesFrom(result, 0, EmptyIds);
    }

    private static readonly IReadOnlySet<Guid> EmptyIds = new HashSet<Guid>();

    public async ValueTask SeedAsync(IReadOnlyList<LiveIncident> live, CancellationToken cancellationToken)
    {
        var (epoch, version) = _rebuildFrom;
        if (epoch.Length == 0)
        {
            // Empty or reset: fill it from this instance's fresh copy of the store, then claim the epoch (or take up
            // the one another seeder claimed first; both filled it from the store).
            for (var i = 0; i < live.Count; i += SeedChunk)
            {
                var chunk = live.Skip(i).Take(SeedChunk).ToList();
                await WriteAsync(new SharedUpdate([], new Dictionary<long, int>()) { Incidents = chunk }, 0, cancellationToken);
            }

            epoch = (string?)await RedisScripts.ClaimEpoch.EvaluateAsync(_connection.GetDatabase(), new { epoch = Key("epoch"), token = Guid.NewGuid().ToString("N") }) ?? "";
        }

        // From the version read before the rebuild: changes made while the store was read are absorbed again (an
        // older copy never replaces a newer one).
        (_epoch, _cursor) = (epoch, version);
    }

    public async ValueTask DisposeAsync() => await _connection.CloseAsync();

    private RedisKey Key(string name) => $"{_options.KeyPrefix}:state:{name}";

    private RedisKey SeenKey(long minute) => $"{_options.KeyPrefix}:seen:{minute.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The ids by the minute they were created (UUIDv7 time). Ids without a time (not version 7) are not shared: the
    /// store answers for them.
    /// </summary>
    private static List<(long Minute, List<Guid> Ids)> ByMinute(IEnumerable<Guid> ids)
    {
        var buckets = new List<(long Minute, List<Guid> Ids)>();
        foreach (var id in ids)
        {
            if (!SeenEvents.TryGetUnixMs(id, out var ms))
            {
                continue;
            }

            var minute = ms / 60_000;
            var at = buckets.FindIndex(b => b.Minute == minute);
            if (at < 0)
            {
                buckets.Add((minute, [id]));
            }
            else
            {
                buckets[at].Ids.Add(id);
            }
        }

        return buckets;
    }

    private static byte[] Bytes(Guid id) => id.ToByteArray(bigEndian: true);

    private RedisKey StormKey(long second) => $"{_options.KeyPrefix}:storm:{second.ToString(CultureInfo.InvariantCulture)}";
}
