namespace Helpdesk.Monitoring.Incidents;

/// <summary>What a clock waits for on an incident.</summary>
internal enum Clock : byte
{
    // The order is the order in which clocks due at the same moment fire: a quiet period that ends resolves before
    // the SLA looks at the incident, and a verification hold closes last. At most 7: the queue keeps it in 3 bits.

    /// <summary>The quiet period after flapping stopped: the state it is left in then applies.</summary>
    FlapQuiet = 1,

    /// <summary>L1's window to acknowledge before the incident moves to L2.</summary>
    L1Window,

    /// <summary>The response target of the SLA.</summary>
    Response,

    /// <summary>The resolution target of the SLA.</summary>
    Resolution,

    /// <summary>The next status update the customer is owed while the incident is open (the rules file's customers).</summary>
    CustomerUpdate,

    /// <summary>The verification hold of a resolved incident: it closes when no new problem came.</summary>
    Close,
}

/// <summary>
/// Every clock of every live incident in one queue, by due time. Entries are never removed early: a clock whose
/// deadline moved or whose incident changed is queued again, and the stale entry is recognised when it comes due
/// (the incident's own fields say what is due now), which keeps scheduling O(log n) with no search.
/// </summary>
internal sealed class DueClocks
{
    // The priority is the due instant's UTC ticks with the clock in the low 3 bits: due time first, then clock order,
    // in 8 bytes, and the clock needs no place of its own in the entry. An entry is then 16 bytes (the incident and
    // the priority), where the clock beside the incident made it 24 and a (DateTimeOffset, Clock) priority 40: at
    // 50,000 open incidents with three SLA clocks each, and the stale entries waiting to come due, megabytes.
    private const int ClockBits = 3;
    private const long ClockMask = (1 << ClockBits) - 1;
    private const long MaxTicks = long.MaxValue >> ClockBits;

    private readonly PriorityQueue<IncidentState, long> _queue = new();

    public int Count => _queue.Count;

    public void Schedule(IncidentState incident, Clock clock, DateTimeOffset due) => _queue.Enqueue(incident, Key(due, clock));

    /// <summary>
    /// Drops the entries of incidents that are no longer live (closed, merged). Without it a closed incident's later
    /// clocks (a P2's resolution target is 8 hours out) would keep it in memory until they came due: at 600 incidents a
    /// minute, a third of a million of them. O(n), so only when stale entries outnumber the live ones.
    /// </summary>
    public void Compact(Func<IncidentState, bool> live)
    {
        var kept = _queue.UnorderedItems.Where(e => live(e.Element)).ToList();
        _queue.Clear();
        _queue.TrimExcess();
        _queue.EnqueueRange(kept);
    }

    /// <summary>Takes the earliest clock due by <paramref name="now"/>, if any.</summary>
    public bool TryTakeDue(DateTimeOffset now, out IncidentState incident, out Clock clock, out DateTimeOffset due)
    {
        if (_queue.TryPeek(out var entry, out var key) && key >> ClockBits <= Math.Min(now.UtcTicks, MaxTicks))
        {
            _queue.Dequeue();
            (incident, clock, due) = (entry, (Clock)(key & ClockMask), new DateTimeOffset(key >> ClockBits, TimeSpan.Zero));
            return true;
        }

        (incident, clock, due) = (null!, default, default);
        return false;
    }

    /// <summary>Deadlines past the year 3600 all sort as that year: none is ever that far out, and none is lost.</summary>
    private static long Key(DateTimeOffset due, Clock clock) => (Math.Min(due.UtcTicks, MaxTicks) << ClockBits) | (long)clock;
}
