namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// How long the relay waits before it offers again a spool file Kafka did not take: 1 s, doubling up to a minute
/// while Kafka keeps refusing, back to 1 s at the first delivery. An outage fails every message in flight at once,
/// and that is one refusal, not one per message: every failure within the current wait gets the same wait. (Counted
/// per message, a hundred files in flight during a leader change would have put the next ones a minute out.)
/// </summary>
public sealed class RedeliveryBackoff(TimeProvider time)
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private TimeSpan _wait = First;
    private long? _refusedAt;
    private bool _refusing;

    /// <summary>A delivery failed: how long to wait before offering it again.</summary>
    /// <param name="newRefusal">True for the first failure of a refusal (say it once, not once per file).</param>
    public TimeSpan Failed(out bool newRefusal)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            newRefusal = _refusedAt is not { } at || time.GetElapsedTime(at, now) >= _wait;
            if (newRefusal)
            {
                _wait = _refusedAt is null ? First : TimeSpan.FromTicks(Math.Min(Longest.Ticks, _wait.Ticks * 2));
                _refusedAt = now;
                Volatile.Write(ref _refusing, true);
            }

            return _wait;
        }
    }

    /// <summary>A delivery succeeded: Kafka takes messages again.</summary>
    public void Delivered()
    {
        // Every delivery lands here: while Kafka takes messages, no lock.
        if (!Volatile.Read(ref _refusing))
        {
            return;
        }

        lock (_lock)
        {
            _refusedAt = null;
            _wait = First;
            Volatile.Write(ref _refusing, false);
        }
    }
}
