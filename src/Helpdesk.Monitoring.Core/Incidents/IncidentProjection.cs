namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Incidents and timelines as a store would hold them after a series of sealed plans, kept in memory: for dry runs
/// (<c>helpdesk replay</c>) and tests.
/// </summary>
public sealed class IncidentProjection
{
    private readonly SortedDictionary<long, IncidentRecord> _incidents = [];
    private readonly List<TimelineEntry> _timeline = [];

    public IReadOnlyDictionary<long, IncidentRecord> Incidents => _incidents;

    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    public void Apply(CommitPlan plan)
    {
        foreach (var change in plan.Counters)
        {
            _incidents[change.Id] = change.ApplyTo(_incidents[change.Id]);
        }

        foreach (var change in plan.Updates)
        {
            _incidents[change.Id] = change.ApplyTo(_incidents[change.Id]);
        }

        foreach (var incident in plan.Inserts)
        {
            _incidents[incident.Id] = incident;
        }

        _timeline.AddRange(plan.Timeline);
    }
}
