namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Everything one batch changed, ready for one store transaction: the applied event ids, the final snapshot of each
/// changed incident (in id order, so a resolved incident is written before its successor for the same identity),
/// and the new timeline entries. Every part is idempotent to write twice.
/// </summary>
public sealed class CommitPlan
{
    private readonly List<AppliedEvent> _events = [];
    private readonly HashSet<IncidentState> _dirty = [];
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<IncidentRecord> _incidents = [];

    public IReadOnlyList<AppliedEvent> Events => _events;

    /// <summary>Snapshots of the changed incidents, filled by <see cref="Seal"/>.</summary>
    public IReadOnlyList<IncidentRecord> Incidents => _incidents;

    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    public bool IsEmpty => _events.Count == 0 && _dirty.Count == 0 && _incidents.Count == 0;

    internal void Applied(in AppliedEvent applied) => _events.Add(applied);

    internal void Changed(IncidentState incident) => _dirty.Add(incident);

    internal void Append(IncidentState incident, DateTimeOffset at, TimelineKind kind, Guid? eventId, string text)
    {
        _timeline.Add(new TimelineEntry(incident.Id, ++incident.TimelineCount, at, kind, eventId, text));
        _dirty.Add(incident);
    }

    /// <summary>Takes the snapshots; call once, after the last change of the batch.</summary>
    public void Seal()
    {
        foreach (var incident in _dirty)
        {
            _incidents.Add(incident.Snapshot());
        }

        _dirty.Clear();
        _incidents.Sort(static (a, b) => a.Id.CompareTo(b.Id));
    }

    public void Clear()
    {
        _events.Clear();
        _dirty.Clear();
        _timeline.Clear();
        _incidents.Clear();
    }
}
