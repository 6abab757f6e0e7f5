namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Correlation that comes late. An alert that fails here first merges the incidents it explains (see
/// <c>MergeExplained</c>), but a decider also learns of failing alerts it did not decide: another instance's copy
/// (scale-out partitions by host, so a router and its children are decided on different instances, and an instance
/// decides with the shared state's last answer for a moment before it reads again), or the store when the decider is
/// built. The incidents those alerts explain may have opened on their own meanwhile; at the next turn they are merged
/// into the cause's incident as if the cause had failed here after them.
/// Every instance absorbs the cause's copy, and most know the explained incidents too (they absorbed them): so that
/// one merges each, not all of them (the store would refuse all but the first, and each refused instance would rebuild
/// from the store), a copy's alerts merge only the incidents this instance opened. The store's alerts merge any: an
/// instance rebuilds when it takes over partitions, so incidents whose instance is gone are merged by the one after it.
/// </summary>
public sealed partial class IncidentDecider
{
    // Failing alerts learned from copies since the last turn, with the incident each failed in; and the incidents the
    // decider was built with, until the first turn has gone through their alerts. Only this file changes them.
    private readonly List<(long IncidentId, string Instance, string Host, string Service)> _learnedCauses = [];
    private IncidentState[]? _builtWith;

    /// <summary>Failing alerts from copies waiting for the next turn to merge what they explain (for tests).</summary>
    internal int LearnedCauses => _learnedCauses.Count;

    /// <summary>Every failing alert of the live incidents, as the decider was built: gone through at the next turn.</summary>
    private void LearnStoreCauses() => _builtWith = [.. _index.All];

    /// <summary>The alert of a live incident this decider did not decide: it may explain incidents here.</summary>
    private void LearnCause(IncidentState incident)
    {
        if (incident.IsFailing)
        {
            _learnedCauses.Add((incident.Id, incident.Instance, incident.Host, incident.Service));
        }
    }

    /// <summary>A member of a live incident that this decider did not correlate: it may explain incidents here.</summary>
    private void LearnCause(IncidentState incident, MemberState member)
    {
        if (incident.IsActive && member.IsFailing)
        {
            _learnedCauses.Add((incident.Id, member.Instance, member.Host, member.Service));
        }
    }

    /// <summary>
    /// Whether this decider already held <paramref name="member"/>'s alert failing in <paramref name="incident"/>: then
    /// whatever it explains was merged or joined when it was learned, and a copy (in a storm, one a batch) changes nothing.
    /// </summary>
    private static bool KnewFailing(IncidentState incident, MemberState member) =>
        incident.Members is { } members && members.TryGetValue(member.Fingerprint, out var known) && known.IsFailing;

    /// <summary>
    /// Merges what each learned alert explains into its incident, when the alert still fails there (a later copy may
    /// have resolved it, or moved it into another incident, before this turn).
    /// </summary>
    private void MergeForLearnedCauses(DateTimeOffset now, CommitPlan plan)
    {
        if (_builtWith is { } builtWith)
        {
            _builtWith = null;
            MergeForStoreCauses(builtWith, now, plan);
        }

        foreach (var (id, instance, host, service) in _learnedCauses)
        {
            if (_index.FailingIncidentOf(instance, host, service) is { } into && into.Id == id)
            {
                MergeExplained(into, instance, host, service, now, plan, openedHereOnly: true);
            }
        }

        _learnedCauses.Clear();
        if (_learnedCauses.Capacity > 1024)
        {
            // A large absorb (a seeded shared state) is rare: do not keep its array for the small ones after it.
            _learnedCauses.TrimExcess();
        }
    }

    /// <summary>
    /// Every failing alert (the incident's own and its members') of the incidents the decider was built with, once.
    /// Copies absorbed since replace theirs, and they are not the store's: they are learned as any copy is.
    /// </summary>
    private void MergeForStoreCauses(IncidentState[] builtWith, DateTimeOffset now, CommitPlan plan)
    {
        foreach (var incident in builtWith)
        {
            // Closed since: merged into another earlier in this loop, or replaced by a copy (retiring it closes it).
            if (!incident.IsActive)
            {
                continue;
            }

            if (incident.IsFailing)
            {
                MergeExplained(incident, incident.Instance, incident.Host, incident.Service, now, plan);
            }

            foreach (var member in incident.Members?.Values.ToList() ?? [])
            {
                if (incident.IsActive && member.IsFailing)
                {
                    MergeExplained(incident, member.Instance, member.Host, member.Service, now, plan);
                }
            }
        }
    }
}
