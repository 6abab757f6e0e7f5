namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// New problems per minute, by Nagios' time: sixty one-second buckets, no allocation per problem. Problems arrive out
/// of Nagios' time order (parallel notification workers, Kafka partitions read side by side), so the minute measured
/// is the one ending at the newest time seen, not at the time of the problem in hand: an older problem in the middle
/// of a burst must not make the burst look calm.
/// </summary>
internal sealed class StormRate
{
    private readonly long[] _second = new long[60];
    private readonly int[] _count = new int[60];

    /// <summary>The newest Nagios time recorded.</summary>
    public long Clock { get; private set; } = long.MinValue;

    public void Record(long timeT)
    {
        var slot = (int)(((timeT % 60) + 60) % 60);
        if (_second[slot] < timeT)
        {
            _second[slot] = timeT;
            _count[slot] = 0;
        }
        else if (_second[slot] > timeT)
        {
            // The bucket already holds a later second: this problem is more than a minute older than one already
            // counted, outside any minute still measured.
            return;
        }

        _count[slot]++;
        Clock = Math.Max(Clock, timeT);
    }

    /// <summary>Problems recorded in the minute that ends at the newest time seen (or at <paramref name="timeT"/>, if later).</summary>
    public int PerMinuteAt(long timeT)
    {
        var end = Math.Max(timeT, Clock);
        var total = 0;
        for (var i = 0; i < 60; i++)
        {
            if (_second[i] > end - 60 && _second[i] <= end)
            {
                total += _count[i];
            }
        }

        return total;
    }
}
