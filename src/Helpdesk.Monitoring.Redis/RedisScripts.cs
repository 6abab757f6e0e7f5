namespace Helpdesk.Monitoring.Redis;

/// <summary>
/// The Lua scripts: one read before a batch, one write after its commit, so a batch costs two round trips whatever
/// its size. Every key a script touches is passed in KEYS and carries the prefix's hash tag (one Redis Cluster slot).
/// Incident values are "revision|L or T (live or gone)|writer|json": a write replaces an incident only with a revision
/// at least as high (two instances' writes may arrive in either order), and bumps the change log readers follow.
/// </summary>
internal static class RedisScripts
{
    // KEYS: seen keys, 60 storm buckets, then incidents hash, change log, version, floor, epoch.
    // ARGV: how many seen keys, this reader's epoch, its cursor, the most changes it takes (more: rebuild).
    // Returns: one 0/1 per seen key, the storm sum, the epoch, the version, then -1 (rebuild) or the count of values and the values.
    public const string Read = """
        local n = tonumber(ARGV[1])
        local k = #KEYS
        local hash, log, versionKey, floorKey, epochKey = KEYS[k - 4], KEYS[k - 3], KEYS[k - 2], KEYS[k - 1], KEYS[k]
        local out = {}
        for i = 1, n do out[i] = redis.call('EXISTS', KEYS[i]) end
        local sum = 0
        for i = n + 1, k - 5 do sum = sum + (tonumber(redis.call('GET', KEYS[i])) or 0) end
        out[n + 1] = sum
        local epoch = redis.call('GET', epochKey) or ''
        local version = tonumber(redis.call('GET', versionKey) or '0')
        local floor = tonumber(redis.call('GET', floorKey) or '0')
        local cursor = tonumber(ARGV[3])
        out[n + 2] = epoch
        out[n + 3] = version
        if epoch == '' or epoch ~= ARGV[2] or cursor < floor or cursor > version then
          out[n + 4] = -1
          return out
        end
        local most = tonumber(ARGV[4])
        local ids = redis.call('ZRANGEBYSCORE', log, '(' .. ARGV[3], '+inf', 'LIMIT', 0, most + 1)
        if #ids > most then
          out[n + 4] = -1
          return out
        end
        out[n + 4] = #ids
        for i, id in ipairs(ids) do out[n + 4 + i] = redis.call('HGET', hash, id) or '' end
        return out
        """;

    // KEYS: seen keys, storm buckets, then incidents hash, change log, version, floor.
    // ARGV: how many seen keys, seen TTL (s), how many buckets, one count per bucket, then (id, revision, value) per incident.
    public const string Write = """
        local n = tonumber(ARGV[1])
        local ttl = tonumber(ARGV[2])
        local b = tonumber(ARGV[3])
        local k = #KEYS
        local hash, log, versionKey, floorKey = KEYS[k - 3], KEYS[k - 2], KEYS[k - 1], KEYS[k]
        for i = 1, n do redis.call('SET', KEYS[i], '1', 'EX', ttl) end
        for i = 1, b do
          redis.call('INCRBY', KEYS[n + i], tonumber(ARGV[3 + i]))
          redis.call('EXPIRE', KEYS[n + i], 180)
        end
        local version = 0
        for j = 4 + b, #ARGV, 3 do
          local id, revision = ARGV[j], tonumber(ARGV[j + 1])
          local current = redis.call('HGET', hash, id)
          local currentRevision = -1
          if current then currentRevision = tonumber(string.match(current, '^(%-?%d+)|')) end
          if revision >= currentRevision then
            version = redis.call('INCR', versionKey)
            redis.call('HSET', hash, id, ARGV[j + 2])
            redis.call('ZADD', log, version, id)
          end
        end
        -- The log keeps the last 100,000 changes; a reader further behind than the floor rebuilds from the store.
        local window = 100000
        if version > window then
          local floor = version - window
          local old = redis.call('ZRANGEBYSCORE', log, '-inf', '(' .. floor, 'LIMIT', 0, 256)
          for _, id in ipairs(old) do
            local value = redis.call('HGET', hash, id)
            if value and string.find(value, '^%-?%d+|T|') then redis.call('HDEL', hash, id) end
            redis.call('ZREM', log, id)
          end
          if #old > 0 then redis.call('SET', floorKey, floor) end
        end
        return version
        """;

    // KEYS: epoch. ARGV: this instance's token. The first seeder's token wins; everyone takes it up.
    public const string ClaimEpoch = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX')
        return redis.call('GET', KEYS[1])
        """;
}
