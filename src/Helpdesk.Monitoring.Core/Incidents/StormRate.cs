namespace Helpdesk.Monitoring.Incidents;

/// <summary>New problems per minute, by Nagios' time: sixty one-second buckets, no allocation per problem.</summary>
internal sealed class StormRate
{
    private readonly long[] _second = new long[60];
    private readonly int[] _count = new int[60];

    public void Record(long timeT)
    {
        var slot = (int)(((timeT % 60) + 60) % 60);
        if (_second[slot] != timeT)
        {
            _second[slot] = timeT;
            _count[slot] = 0;
        }

        _count[slot]++;
    }

    /// <summary>Problems recorded in the minute that ends at <paramref name="timeT"/>.</summary>
    public int PerMinuteAt(long timeT)
    {
        var total = 0;
        for (var i = 0; i < 60; i++)
        {
            if (_second[i] > timeT - 60 && _second[i] <= timeT)
            {
                total += _count[i];
            }
        }

        return total;
    }
}
