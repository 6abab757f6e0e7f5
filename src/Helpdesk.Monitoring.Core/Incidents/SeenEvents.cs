namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// A bounded window of recently applied event ids. UUIDv7 ids carry their creation time, so the window keeps a
/// watermark: every id it has forgotten is older than the watermark, hence a v7 id at or above it that is not in the
/// window was never applied. Everything else (old ids, non-v7 ids) is <see cref="EventIdClass.Unknown"/> and is
/// checked against the store in one query per batch.
/// </summary>
public sealed class SeenEvents
{
    private readonly HashSet<Guid> _ids;
    private readonly Guid[] _order;
    private int _next;
    private int _count;

    /// <param name="capacity">How many ids to remember (memory: about 40 bytes each).</param>
    /// <param name="watermarkUnixMs">Ids created before this may have been applied by an earlier process.</param>
    public SeenEvents(int capacity, long watermarkUnixMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ids = new HashSet<Guid>(capacity);
        _order = new Guid[capacity];
        WatermarkUnixMs = watermarkUnixMs;
    }

    public long WatermarkUnixMs { get; private set; }

    public int Count => _count;

    public EventIdClass Classify(Guid id)
    {
        if (_ids.Contains(id))
        {
            return EventIdClass.Seen;
        }

        return IsAboveWatermark(id) ? EventIdClass.New : EventIdClass.Unknown;
    }

    /// <summary>
    /// Whether only the store can tell if this id was applied: <see cref="Classify"/> says Unknown. The usual id, a
    /// UUIDv7 above the watermark, is told by its time alone, without the hash probe: a cache miss per notification
    /// that the decider pays once anyway.
    /// </summary>
    public bool IsUnknown(Guid id) => !IsAboveWatermark(id) && !_ids.Contains(id);

    /// <summary>A UUIDv7 created at or after the watermark: if it is not in the window, it was never applied.</summary>
    private bool IsAboveWatermark(Guid id) => TryGetUnixMs(id, out var ms) && ms >= WatermarkUnixMs;

    /// <summary>
    /// Adds the id to the window; false when it was there already. One hash operation tells and adds, so a caller that
    /// has settled the ids the window cannot tell (<see cref="IsUnknown"/>) needs no <see cref="Classify"/> first.
    /// </summary>
    public bool Remember(Guid id)
    {
        if (!_ids.Add(id))
        {
            return false;
        }

        if (_count == _order.Length)
        {
            var evicted = _order[_next];
            _ids.Remove(evicted);
            if (TryGetUnixMs(evicted, out var ms) && ms >= WatermarkUnixMs)
            {
                WatermarkUnixMs = ms + 1;
            }
        }
        else
        {
            _count++;
        }

        _order[_next] = id;
        _next = (_next + 1) % _order.Length;
        return true;
    }

    /// <summary>The creation time of a UUIDv7 (RFC 9562): the first 48 bits, big-endian, in Unix milliseconds.</summary>
    public static bool TryGetUnixMs(Guid id, out long unixMs)
    {
        Span<byte> b = stackalloc byte[16];
        id.TryWriteBytes(b, bigEndian: true, out _);
        if ((b[6] >> 4) != 7 || (b[8] & 0xC0) != 0x80)
        {
            unixMs = 0;
            return false;
        }

        unixMs = ((long)b[0] << 40) | ((long)b[1] << 32) | ((long)b[2] << 24) | ((long)b[3] << 16) | ((long)b[4] << 8) | b[5];
        return true;
    }
}
