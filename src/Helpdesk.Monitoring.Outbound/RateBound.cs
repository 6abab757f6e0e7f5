namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// How many messages a channel may still send in the sliding minute: a channel that would flood its people (100
/// incidents opened in a minute) sends the bound, one summary that says how many wait, and the rest as the minute
/// frees room. Deliveries are claimed only within the room left, so none waits out its lease unsent.
/// </summary>
public sealed class RateBound(int perMinute, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly Queue<DateTimeOffset> _sent = new();
    private bool _summarised;

    /// <summary>Messages that may go now; int.MaxValue without a bound.</summary>
    public int Room
    {
        get
        {
            if (perMinute <= 0)
            {
                return int.MaxValue;
            }

            Forget();
            return perMinute - _sent.Count;
        }
    }

    /// <summary>When there will be room again.</summary>
    public DateTimeOffset RoomAt => _sent.TryPeek(out var oldest) ? oldest + Minute : time.GetUtcNow();

    public void Sent() => _sent.Enqueue(time.GetUtcNow());

    /// <summary>
    /// The channel sent everything due with room to spare: the flood has passed, and the next time the bound is hit
    /// people hear of it again. Room alone does not say so: as a flood's first minute slides by, room frees a message at
    /// a time while the rest still waits, and a summary at each would be a flood of its own.
    /// </summary>
    public void CaughtUp() => _summarised = false;

    /// <summary>Whether the summary of this flood is still to be sent (true once per flood).</summary>
    public bool TakeSummary()
    {
        if (_summarised)
        {
            return false;
        }

        _summarised = true;
        return true;
    }

    private void Forget()
    {
        var now = time.GetUtcNow();
        while (_sent.TryPeek(out var at) && now - at >= Minute)
        {
            _sent.Dequeue();
        }
    }
}
