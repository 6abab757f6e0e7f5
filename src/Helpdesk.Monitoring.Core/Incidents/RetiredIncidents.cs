namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Incidents the decider saw leave (closed, merged, replaced) with their revision, so that an older copy from another
/// instance, still on its way, does not bring them back. Bounded: the oldest are forgotten first.
/// </summary>
internal sealed class RetiredIncidents(int capacity)
{
    private readonly Dictionary<long, int> _revisions = [];
    private readonly Queue<long> _order = new();

    /// <summary>Whether the incident left at a revision at least as new as <paramref name="revision"/>.</summary>
    public bool LeftAtOrAfter(long id, int revision) => _revisions.TryGetValue(id, out var left) && left >= revision;

    public void Remember(long id, int revision)
    {
        if (_revisions.TryAdd(id, revision))
        {
            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _revisions.Remove(_order.Dequeue());
            }
        }
        else
        {
            _revisions[id] = Math.Max(_revisions[id], revision);
        }
    }
}
