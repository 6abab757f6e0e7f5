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
    private readonly Dictionary<(string, string, string), ScheduledDowntime> _downtimes = [];
    private readonly Dictionary<(string, string, string), EarlyRecovery> _recoveries = [];

    public IReadOnlyDictionary<long, IncidentRecord> Incidents => _incidents;

    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>Correlated alerts, by incident.</summary>
    public IReadOnlyCollection<AlertMember> Members => _members.Values;

    public IEnumerable<AlertMember> MembersOf(long incidentId) => _members.Values.Where(m => m.IncidentId == incidentId);

    /// <summary>The objects in scheduled downtime.</summary>
    public IReadOnlyCollection<ScheduledDowntime> Downtimes => _downtimes.Values;

    /// <summary>Recoveries that came before their problem and wait for it.</summary>
    public IReadOnlyCollection<EarlyRecovery> EarlyRecoveries => _recoveries.Values;

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

        foreach (var downtime in plan.Downtimes)
        {
            if (downtime.Since is null)
            {
                _downtimes.Remove((downtime.Instance, downtime.Host, downtime.Service));
            }
            else
            {
                _downtimes[(downtime.Instance, downtime.Host, downtime.Service)] = downtime;
            }
        }

        foreach (var letGo in plan.LetGoRecoveries)
        {
            _recoveries.Remove(letGo);
        }

        foreach (var held in plan.HeldRecoveries)
        {
            _recoveries[(held.Instance, held.Host, held.Service)] = held;
        }

        _timeline.AddRange(plan.Timeline);
    }
}
