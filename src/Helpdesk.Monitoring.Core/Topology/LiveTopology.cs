namespace Helpdesk.Monitoring.Topology;

/// <summary>
/// The topology decisions read now. A reload on another thread swaps the whole (immutable) topology in one reference
/// write, so a decision sees either the old one or the new one, never half of each.
/// </summary>
public sealed class LiveTopology
{
    private NagiosTopology _current;

    public LiveTopology(NagiosTopology? initial = null) => _current = initial ?? NagiosTopology.Empty;

    public NagiosTopology Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}
