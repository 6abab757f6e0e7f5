using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentBook
{
    /// <summary>Live incidents caused by an alert of each host (instance + host), for merging when the host goes down.</summary>
    private readonly Dictionary<HostKey, List<IncidentState>> _byHost = [];

    /// <summary>The open incident of each time-window group (rule name + key).</summary>
    private readonly Dictionary<GroupKeyOf, IncidentState> _groups = [];

    /// <summary>
    /// A problem with no incident of its own: it joins the incident that explains it (its host's, a parent's, the one
    /// of a service it depends on, its time-window group's, or the storm's), or opens a new incident.
    /// </summary>
    private Decision OpenOrCorrelate(ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        // Decoded once, here: every rule, the join or the opening below read this one alert value.
        var n = NotificationDecoder.Decode(record, in f);
        if (Explain(n, out var rule, out var key) is { } cause)
        {
            return JoinUnlessRecovered(cause, n, record, in f, rule, key, now, plan);
        }

        var (group, groupKey) = GroupOf(n);
        if (group is not null && _groups.TryGetValue(GroupId(group, groupKey), out var grouped)
            && grouped.IsActive && n.ReportedAt - grouped.OpenedAt <= group.Window && 1 + grouped.MemberCount < group.MaxSize)
        {
            return JoinUnlessRecovered(grouped, n, record, in f, CorrelationRuleNames.GroupPrefix + group.Name, groupKey, now, plan);
        }

        if (StormCollects(n, now, plan) is { } storm)
        {
            return JoinUnlessRecovered(storm, n, record, in f, CorrelationRuleNames.Storm, storm.CorrelationKey, now, plan);
        }

        var opened = group is null
            ? OpenUnlessRecovered(n, record, in f, now, plan)
            : OpenUnlessRecovered(n, record, in f, now, plan, CorrelationRuleNames.GroupPrefix + group.Name, groupKey);
        var incident = _live[opened.IncidentId];
        if (group is not null)
        {
            _groups[GroupId(group, groupKey)] = incident;
        }

        if (incident.IsActive && !NagiosNames.IsHealthy(incident.State))
        {
            MergeExplained(incident, incident.Instance, incident.Host, incident.Service, now, plan);
        }

        return opened;
    }

    /// <summary>The live incident whose failing alert explains this problem by topology, with the rule and key.</summary>
    private IncidentState? Explain(Notification n, out string rule, out string key)
    {
        var alert = new AlertIdentity(n.Instance, n.Host, n.IsServiceNotification ? n.Service : "", n.State);
        foreach (var topologyRule in TopologyRules.Enabled(_policy.Rules.Correlation))
        {
            if (topologyRule.Explain(in alert, this, out rule, out key) is { } cause)
            {
                return cause;
            }
        }

        (rule, key) = ("", "");
        return null;
    }

    NagiosTopology ICauseIndex.Topology => _policy.Topology.Current;

    IncidentState? ICauseIndex.FailingIncidentOf(string instance, string host, string service) => FailingIncidentOf(instance, host, service);

    /// <summary>The active incident in which this alert is failing (as cause or member), if any.</summary>
    private IncidentState? FailingIncidentOf(string instance, string host, string service)
    {
        var fingerprint = Fingerprint.Of(instance, host, service);
        if (!_latest.TryGetValue(fingerprint, out var incident) || !incident.IsActive)
        {
            return null;
        }

        if (incident.Members is { } members && members.TryGetValue(fingerprint, out var member))
        {
            return member.Recovered || NagiosNames.IsHealthy(member.State) ? null : incident;
        }

        return NagiosNames.IsHealthy(incident.State) ? null : incident;
    }

    /// <summary>
    /// An alert just started failing in <paramref name="into"/> (it opened the incident, or joined it): the incidents
    /// it explains that opened before it (Nagios often notifies a service before its host) are merged into
    /// <paramref name="into"/>: services on the host, UNREACHABLE children and dependents. Only plain single-alert
    /// incidents are merged, never a group or a storm.
    /// </summary>
    private void MergeExplained(IncidentState into, string instance, string host, string service, DateTimeOffset now, CommitPlan plan)
    {
        var cause = new AlertIdentity(instance, host, service, into.State);
        foreach (var topologyRule in TopologyRules.Enabled(_policy.Rules.Correlation))
        {
            topologyRule.ExplainedBy(in cause, this, (explainedHost, explained, rule, key) => MergeWhere(into, instance, explainedHost, explained, rule, key, now, plan));
        }
    }

    private void MergeWhere(IncidentState into, string instance, string host, Func<IncidentState, bool> explained, string rule, string key, DateTimeOffset now, CommitPlan plan)
    {
        if (!_byHost.TryGetValue(new HostKey(instance, host), out var incidents))
        {
            return;
        }

        foreach (var source in incidents.ToArray())
        {
            if (!ReferenceEquals(source, into) && source.IsActive && source.CorrelationRule.Length == 0 && explained(source))
            {
                Merge(source, into, rule, key, now, plan);
            }
        }
    }

    /// <summary>Moves an incident's alerts into another and closes it as merged; both timelines say why.</summary>
    private void Merge(IncidentState source, IncidentState into, string rule, string key, DateTimeOffset now, CommitPlan plan)
    {
        var cause = new MemberState(
            new AlertMember(into.Id, source.Instance, source.Host, source.Service, rule, key, source.State, NagiosNames.IsHealthy(source.State),
                source.ProblemId, source.AlertCount, source.OpenedAt, source.LastSeenAt, source.LastOutput),
            source.Fingerprint);
        var moved = new List<MemberState> { cause };
        foreach (var m in source.Members?.Values ?? Enumerable.Empty<MemberState>())
        {
            // Its members keep the rule that explained them (a service still hangs on its host, now a member here).
            moved.Add(new MemberState(m.ToRecord() with { IncidentId = into.Id }, m.Fingerprint));
        }

        source.Status = IncidentStatus.Closed;
        source.ClosedAt = now;
        source.MergedInto = into.Id;
        source.UpdatedAt = now;
        Interlocked.Decrement(ref _active);
        plan.Append(source, now, TimelineKind.Merged, null, $"Merged into {IncidentNumber.Format(into.Id)} by rule {rule} (key {key}): it explains this alert");
        Forget(source);
        foreach (var member in moved)
        {
            AttachMember(into, member);
            plan.MemberChanged(member);
        }

        into.AlertCount += source.AlertCount;
        into.Priority = PriorityRule.Raise(into.Priority, source.Priority);
        into.UpdatedAt = now;
        // The incident that took the other in grew: an update to it (the merge itself is the other's event).
        plan.Append(into, now, TimelineKind.Merged, IncidentEventKind.Updated, null,
            $"{IncidentNumber.Format(source.Id)} ({cause.Name} {NagiosNames.Of(source.State)}) merged in by rule {rule} (key {key})");
    }

    private (GroupingRule? Rule, string Key) GroupOf(Notification n)
    {
        var groups = _policy.Rules.Correlation.Groups;
        if (groups.Count == 0)
        {
            return (null, "");
        }

        var customer = IncidentText.Customer(n);
        foreach (var rule in groups)
        {
            if (rule.Match.Matches(n, customer))
            {
                return (rule, string.Join('|', rule.GroupBy.Select(k => ValueOf(k, n, customer))));
            }
        }

        return (null, "");
    }

    private string ValueOf(GroupKey key, Notification n, string customer) => key switch
    {
        GroupKey.Instance => n.Instance,
        GroupKey.Customer => customer,
        GroupKey.Host => n.Host,
        GroupKey.Service => n.Service,
        GroupKey.HostGroup => n.HostGroups.Length > 0 ? n.HostGroups : _policy.Topology.Current.GroupsOf(n.Host),
        GroupKey.ServiceGroup => n.ServiceGroups,
        _ => NagiosNames.Of(n.State),
    };

    /// <summary>After a restart: the live group incidents are the groups new problems may still join.</summary>
    private void RegisterGroups()
    {
        foreach (var incident in _live.Values)
        {
            RegisterGroup(incident);
        }
    }

    private void RegisterGroup(IncidentState incident)
    {
        if (incident.IsActive && GroupIdOf(incident) is { } id)
        {
            _groups[id] = incident;
        }
    }

    /// <summary>The group an incident collects for, or null when it is not a group's incident.</summary>
    private static GroupKeyOf? GroupIdOf(IncidentState incident) =>
        incident.CorrelationRule.StartsWith(CorrelationRuleNames.GroupPrefix, StringComparison.Ordinal)
            ? new GroupKeyOf(incident.CorrelationRule[CorrelationRuleNames.GroupPrefix.Length..], incident.CorrelationKey)
            : null;

    private static GroupKeyOf GroupId(GroupingRule rule, string key) => new(rule.Name, key);

    /// <summary>A Nagios instance's host: the incidents of its alerts are merged when it goes down.</summary>
    private readonly record struct HostKey(string Instance, string Host);

    /// <summary>A time-window group: the rule's name and the key its group-by fields made.</summary>
    private readonly record struct GroupKeyOf(string Rule, string Key);

    private void IndexByHost(IncidentState incident)
    {
        if (!incident.HasCause)
        {
            return;
        }

        var id = new HostKey(incident.Instance, incident.Host);
        if (!_byHost.TryGetValue(id, out var list))
        {
            _byHost[id] = list = [];
        }

        list.Add(incident);
    }

    private void UnindexByHost(IncidentState incident)
    {
        var id = new HostKey(incident.Instance, incident.Host);
        if (_byHost.TryGetValue(id, out var list) && list.Remove(incident) && list.Count == 0)
        {
            _byHost.Remove(id);
        }
    }
}
