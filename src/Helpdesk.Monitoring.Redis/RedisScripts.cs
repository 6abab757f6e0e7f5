using StackExchange.Redis;

namespace Helpdesk.Monitoring.Redis;

/// <summary>
/// The Lua scripts. A batch's write (after its store commit) also brings back what other instances changed since, so
/// under load a batch costs one round trip; the read before a batch runs only when the decider has event ids it cannot
/// place or what it last heard is not fresh. Applied event ids are members of one set per minute of their creation
/// (UUIDv7 time), so a batch of ids is a few variadic commands, not one key each (SMISMEMBER: Redis 6.2 or later).
/// Every key a script touches is passed in KEYS and carries the prefix's hash tag (one Redis Cluster slot).
/// Incident values are "revision|L or T (live or gone)|writer|json": a write replaces an incident only with a revision
/// at least as high (two instances' writes may arrive in either order), and bumps the change log readers follow.
/// Members are "M|writer|json" under "m:INCIDENT:ALERT" (each alert is decided on one partition, so by one writer).
/// </summary>
internal static class RedisScripts
{
    // Both scripts end with what the reader has not seen: out[n + 1] the storm sum of the last minute, then the epoch,
    // the version, then -1 (rebuild from the store) or the count of values and the values, leaving out what this
    // reader wrote itself (its decider has it).
    private const string Changes = """
        local function stormSum(from, to)
          local sum = 0
          for i = from, to do sum = sum + (tonumber(redis.call('GET', KEYS[i])) or 0) end
          return sum
        end
        local function changes(out, n, hash, log, versionKey, floorKey, epochKey, myEpoch, cursorArg, mostArg, writer)
          local epoch = redis.call('GET', epochKey) or ''
          local version = tonumber(redis.call('GET', versionKey) or '0')
          local floor = tonumber(redis.call('GET', floorKey) or '0')
          local cursor = tonumber(cursorArg)
          out[n + 2] = epoch
          out[n + 3] = version
          if epoch == '' or epoch ~= myEpoch or cursor < floor or cursor > version then
            out[n + 4] = -1
            return out
          end
          local most = tonumber(mostArg)
          local ids = redis.call('ZRANGEBYSCORE', log, '(' .. cursorArg, '+inf', 'LIMIT', 0, most + 1)
          if #ids > most then
            out[n + 4] = -1
            return out
          end
          local count = 0
          for _, id in ipairs(ids) do
            local value = redis.call('HGET', hash, id)
            if value then
              local from = string.match(value, '^%-?%d+|%a|(%x+)|') or string.match(value, '^M|(%x+)|')
              if from ~= writer then
                count = count + 1
                out[n + 4 + count] = value
              end
            end
          end
          out[n + 4] = count
          return out
        end

        """;

    // KEYS: seen buckets (one set per minute of the ids' creation), 60 storm buckets, then incidents hash, change log,
    // version, floor, epoch.
    // ARGV: how many seen buckets, this reader's epoch, its cursor, the most changes it takes (more: rebuild), its
    // writer id, then per seen bucket its id count and the ids (16 bytes each).
    // Returns: one 0/1 per id in bucket order, then the changes (above).
    public const string Read = Changes + """
        local m = tonumber(ARGV[1])
        local k = #KEYS
        local out = {}
        local at = 6
        for b = 1, m do
          local c = tonumber(ARGV[at])
          at = at + 1
          -- Slices keep unpack within Lua's stack limit whatever the batch size.
          for from = at, at + c - 1, 1000 do
            local found = redis.call('SMISMEMBER', KEYS[b], unpack(ARGV, from, math.min(from + 999, at + c - 1)))
            for _, f in ipairs(found) do out[#out + 1] = f end
          end
          at = at + c
        end
        local n = #out
        out[n + 1] = stormSum(m + 1, k - 5)
        return changes(out, n, KEYS[k - 4], KEYS[k - 3], KEYS[k - 2], KEYS[k - 1], KEYS[k], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
        """;

    // KEYS: seen buckets, storm buckets written, the 60 storm buckets of the last minute, then incidents hash, their
    // revisions, change log, version, floor, epoch.
    // ARGV: how many seen buckets, seen TTL (s), how many storm buckets written, the log window (writes), this writer's
    // epoch, its cursor, the most changes it takes, its writer id, one count per storm bucket written, then per seen
    // bucket its id count and the ids, then how many incidents and (id, revision, value) per incident, then (field,
    // value) per changed member. One version per write: readers take everything up to the version they saw.
    // Returns: the changes (above) after this write.
    public const string Write = Changes + """
        local m = tonumber(ARGV[1])
        local ttl = tonumber(ARGV[2])
        local b = tonumber(ARGV[3])
        local window = tonumber(ARGV[4])
        local k = #KEYS
        local hash, revisions, log, versionKey, floorKey, epochKey = KEYS[k - 5], KEYS[k - 4], KEYS[k - 3], KEYS[k - 2], KEYS[k - 1], KEYS[k]
        for i = 1, b do
          redis.call('INCRBY', KEYS[m + i], tonumber(ARGV[8 + i]))
          redis.call('EXPIRE', KEYS[m + i], 180)
        end
        local at = 9 + b
        for i = 1, m do
          local c = tonumber(ARGV[at])
          at = at + 1
          for from = at, at + c - 1, 1000 do
            redis.call('SADD', KEYS[i], unpack(ARGV, from, math.min(from + 999, at + c - 1)))
          end
          -- A bucket lives the TTL after its minute has passed (and after its last redelivery).
          redis.call('EXPIRE', KEYS[i], ttl + 60)
          at = at + c
        end
        local version = tonumber(redis.call('GET', versionKey) or '0')
        local incidents = tonumber(ARGV[at])
        if incidents > 0 or at + 1 + 3 * incidents <= #ARGV then version = redis.call('INCR', versionKey) end
        for j = at + 1, at + 3 * incidents, 3 do
          local id, revision = ARGV[j], tonumber(ARGV[j + 1])
          if revision >= (tonumber(redis.call('HGET', revisions, id)) or -1) then
            redis.call('HSET', revisions, id, revision)
            redis.call('HSET', hash, id, ARGV[j + 2])
            redis.call('ZADD', log, version, id)
          end
        end
        -- Members travel on their own ("m:INCIDENT:ALERT"): an incident with thousands is not rewritten for one.
        local written = incidents
        for j = at + 1 + 3 * incidents, #ARGV, 2 do
          redis.call('HSET', hash, ARGV[j], ARGV[j + 1])
          redis.call('ZADD', log, version, ARGV[j])
          written = written + 1
        end
        -- The log keeps the last `window` writes; a reader further behind than the floor rebuilds from the store. Each
        -- write trims more old entries than it added, so the log stays bounded; members and gone incidents below the
        -- floor leave the hash too (live incidents stay: they are the state a new cluster is seeded with).
        if version > window then
          local floor = version - window
          local old = redis.call('ZRANGEBYSCORE', log, '-inf', '(' .. floor, 'LIMIT', 0, 256 + 2 * written)
          for _, id in ipairs(old) do
            local value = redis.call('HGET', hash, id)
            if string.sub(id, 1, 2) == 'm:' or (value and string.find(value, '^%-?%d+|T|')) then
              redis.call('HDEL', hash, id)
              redis.call('HDEL', revisions, id)
            end
            redis.call('ZREM', log, id)
          end
          if #old > 0 then redis.call('SET', floorKey, floor) end
        end
        local out = {}
        out[1] = stormSum(m + b + 1, k - 6)
        return changes(out, 0, hash, log, versionKey, floorKey, epochKey, ARGV[5], ARGV[6], ARGV[7], ARGV[8])
        """;

    /// <summary>
    /// The first seeder's token wins; everyone takes it up. Fixed parameters, so a prepared <see cref="LuaScript"/>
    /// binds them by name (@epoch is a key, @token a value). Read and Write take a different number of keys per batch
    /// (one set per minute of the ids, the storm seconds written), which named parameters cannot express; they go
    /// through ScriptEvaluateAsync, which the client also sends as EVALSHA once Redis has the script.
    /// </summary>
    public static readonly LuaScript ClaimEpoch = LuaScript.Prepare("""
        redis.call('SET', @epoch, @token, 'NX')
        return redis.call('GET', @epoch)
        """);
}
