namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Incidents and timelines as a store would hold them after a series of sealed plans, kept in memory: for dry runs
/// (<c>helpdesk replay</c>) and tests.
/// </summary>
public sealed class IncidentProjection
{
    private readonly SortedDictionary<long, IncidentRecord> _incidents = [];
    private readonly List<TimelineEntry> _timeline = [];
    private readonly Dictionary<(long, string, string, string), AlertMember> _members = [];

    public IReadOnlyDictionary<long, IncidentRecord> Incidents => _incidents;

    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>Correlated alerts, by incident.</summary>
    public IReadOnlyCollection<AlertMember> Members => _members.Values;

    public IEnumerable<AlertMember> MembersOf(long incidentId) => _members.Values.Where(m => m.IncidentId == incidentId);

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

        foreach (var member in plan.Members)
        {
            _members[(member.IncidentId, member.Instance, member.Host, member.Service)] = member;
        }

        _timeline.AddRange(plan.Timeline);
    }
}
