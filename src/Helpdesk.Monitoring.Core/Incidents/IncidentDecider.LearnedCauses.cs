using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Correlation that comes late. An alert that fails here first merges the incidents it explains (see
/// <c>MergeExplained</c>), but a decider also learns of failing alerts it did not decide: another instance's copy
/// (scale-out partitions by host, so a router and its children are decided on different instances, and an instance
/// decides with the shared state's last answer for a moment before it reads again), or the store when the decider is
/// built. The incidents those alerts explain may have opened on their own meanwhile; at the next turn they are merged
/// into the cause's incident as if the cause had failed here after them. Two instances merging the same incident
/// are one commit too many: the store refuses the second, whose instance rebuilds and finds the merge made.
/// </summary>
public sealed partial class IncidentDecider
{
    // Failing alerts learned since the last turn, with the incident each failed in; only this file adds to it or empties it.
    private readonly List<(long IncidentId, string Instance, string Host, string Service)> _learnedCauses = [];

    /// <summary>Failing alerts waiting for the next turn to merge what they explain (for tests).</summary>
    internal int LearnedCauses => _learnedCauses.Count;

    /// <summary>The alert of a live incident this decider did not decide: it may explain incidents here.</summary>
    private void LearnCause(IncidentState incident)
    {
        if (incident.IsActive && !NagiosNames.IsHealthy(incident.State))
        {
            _learnedCauses.Add((incident.Id, incident.Instance, incident.Host, incident.Service));
        }
    }

    /// <summary>A member of a live incident that this decider did not correlate: it may explain incidents here.</summary>
    private void LearnCause(IncidentState incident, MemberState member)
    {
        if (incident.IsActive && !member.Recovered && !NagiosNames.IsHealthy(member.State))
        {
            _learnedCauses.Add((incident.Id, member.Instance, member.Host, member.Service));
        }
    }

    /// <summary>
    /// Merges what each learned alert explains into its incident, when the alert still fails there (a later copy may
    /// have resolved it, or moved it into another incident, before this turn).
    /// </summary>
    private void MergeForLearnedCauses(DateTimeOffset now, CommitPlan plan)
    {
        foreach (var (id, instance, host, service) in _learnedCauses)
        {
            if (_index.FailingIncidentOf(instance, host, service) is { } into && into.Id == id)
            {
                MergeExplained(into, instance, host, service, now, plan);
            }
        }

        _learnedCauses.Clear();
    }
}
