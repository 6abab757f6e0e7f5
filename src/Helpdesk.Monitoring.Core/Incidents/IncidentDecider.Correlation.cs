using System.Runtime.InteropServices;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    /// <summary>
    /// A problem with no incident of its own: it joins the incident that explains it (its host's, a parent's, the one
    /// of a service it depends on, its time-window group's, or the storm's), or opens a new incident.
    /// </summary>
    private Decision OpenOrCorrelate(ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        // Decoded once, here: every rule, the join or the opening below read this one alert value.
        var n = NotificationDecoder.Decode(record, in f);
        var correlation = _correlator.Correlate(_policy.Rules.Correlation, n, now, plan);
        if (correlation.Into is { } cause)
        {
            return JoinUnlessRecovered(cause, n, record, in f, correlation.Rule, correlation.Key, now, plan);
        }

        if (correlation.StartStormAtRate > 0)
        {
            var storm = StartStorm(n, correlation.StartStormAtRate, now, plan);
            _correlator.Storm.Started(storm);
            return JoinUnlessRecovered(storm, n, record, in f, CorrelationRuleNames.Storm, storm.CorrelationKey, now, plan);
        }

        var opened = OpenUnlessRecovered(n, record, in f, now, plan, correlation.Rule, correlation.Key);
        var incident = _index[opened.IncidentId];
        if (correlation.Group is { } group)
        {
            _correlator.Groups.Opened(group, correlation.Key, incident);
        }

        if (incident.IsFailing)
        {
            MergeExplained(incident, incident.Instance, incident.Host, incident.Service, now, plan);
        }

        return opened;
    }

    /// <summary>
    /// An alert just started failing in <paramref name="into"/> (it opened the incident, or joined it): the incidents
    /// it explains that opened before it (Nagios often notifies a service before its host) are merged into
    /// <paramref name="into"/>: services on the host, UNREACHABLE children and dependents. Only single-alert incidents
    /// are merged: plain ones, and a time-window group's that still holds only the alert that opened it (a failing
    /// host explains its services before any group does); never a group with members, nor a storm.
    /// </summary>
    /// <param name="openedHereOnly">Only incidents this instance opened (its id slot) are merged.</param>
    private void MergeExplained(IncidentState into, string instance, string host, string service, DateTimeOffset now, CommitPlan plan,
        bool openedHereOnly = false)
    {
        var cause = new AlertIdentity(instance, host, service, into.State, into.LastSeenAt);
        _correlator.ExplainedBy(_policy.Rules.Correlation, in cause, (explainedHost, explained, rule, key) =>
        {
            foreach (var source in _index.CausedOn(instance, explainedHost))
            {
                if (!ReferenceEquals(source, into) && source.IsActive && IsSingleAlert(source) && explained(source)
                    && (!openedHereOnly || source.Id % _policy.IdSlots == _policy.IdSlot))
                {
                    Merge(source, into, rule, key, now, plan);
                }
            }
        });
    }

    private static bool IsSingleAlert(IncidentState incident) =>
        incident.CorrelationRule.Length == 0
        || (incident.MemberCount == 0 && incident.CorrelationRule.StartsWith(CorrelationRuleNames.GroupPrefix, StringComparison.Ordinal));

    /// <summary>Moves an incident's alerts into another and closes it as merged; both timelines say why.</summary>
    private void Merge(IncidentState source, IncidentState into, string rule, string key, DateTimeOffset now, CommitPlan plan)
    {
        var cause = new MemberState(
            new AlertMember(into.Id, source.Instance, source.Host, source.Service, rule, key, source.State, NagiosNames.IsHealthy(source.State),
                source.ProblemId, source.AlertCount, source.OpenedAt, source.LastSeenAt, source.LastOutput) { Customer = source.Customer },
            source.Fingerprint);
        var moved = new List<MemberState> { cause };
        foreach (var m in source.Members?.Values ?? Enumerable.Empty<MemberState>())
        {
            // Its members keep the rule that explained them (a service still hangs on its host, now a member here).
            moved.Add(new MemberState(m.ToRecord() with { IncidentId = into.Id }, m.Fingerprint));
        }

        // Before the other closes: what it brings depends on whether someone acknowledged it.
        var taken = _sla.TakeOver(into, source);
        source.MergeInto(into.Id, now);
        _index.Deactivated();
        plan.Append(source, now, TimelineKind.Merged, null, $"Merged into {IncidentNumber.Format(into.Id)} by rule {rule} (key {key}): it explains this alert");
        Forget(source);
        foreach (var member in moved)
        {
            _index.Attach(into, member, decidedHere: true);
            plan.MemberChanged(member);
        }

        into.AlertCount += source.AlertCount;
        var priority = into.Priority;
        into.Priority = PriorityRule.Raise(into.Priority, source.Priority);
        if (into.Priority != priority)
        {
            _sla.Tighten(into);
        }

        into.UpdatedAt = now;
        // The incident that took the other in grew: an update to it (the merge itself is the other's event).
        plan.Append(into, now, TimelineKind.Merged, IncidentEventKind.Updated, null,
            $"{IncidentNumber.Format(source.Id)} ({cause.Name} {NagiosNames.Of(source.State)}) merged in by rule {rule} (key {key})"
            + (taken.Length > 0 ? $"; it brings {taken}" : ""));
        RaiseForScope(into, CollectionsMarshal.AsSpan(moved), now, plan);
    }
}
