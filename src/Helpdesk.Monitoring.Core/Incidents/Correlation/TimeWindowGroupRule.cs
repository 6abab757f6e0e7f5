using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The rules file's time-window groups, asked after the topology rules: a new problem a group matches joins the
/// group's open incident while it is young and small enough, or opens it. Groups collect by time, not by cause: they
/// never merge earlier incidents. Owns which incident is each group's.
/// </summary>
internal sealed class TimeWindowGroupRule
{
    private readonly Dictionary<GroupId, IncidentState> _groups = [];

    /// <summary>The first group that matches the problem and the key its group-by values make; null when none does.</summary>
    public static (GroupingRule? Rule, string Key) Match(IReadOnlyList<GroupingRule> groups, Notification n, NagiosTopology topology)
    {
        if (groups.Count == 0)
        {
            return (null, "");
        }

        var customer = IncidentText.Customer(n);
        foreach (var rule in groups)
        {
            if (rule.Match.Matches(n, customer))
            {
                return (rule, string.Join('|', rule.GroupBy.Select(k => ValueOf(k, n, customer, topology))));
            }
        }

        return (null, "");
    }

    /// <summary>The group's open incident the problem joins, or null when it must open the group's incident.</summary>
    public IncidentState? Explain(GroupingRule rule, string key, Notification n) =>
        _groups.TryGetValue(new GroupId(rule.Name, key), out var grouped)
            && grouped.IsActive && n.ReportedAt - grouped.OpenedAt <= rule.Window && 1 + grouped.MemberCount < rule.MaxSize
            ? grouped
            : null;

    /// <summary>The problem opened the group's incident: new problems of the group join it.</summary>
    public void Opened(GroupingRule rule, string key, IncidentState incident) => _groups[new GroupId(rule.Name, key)] = incident;

    /// <summary>An active incident a group opened (loaded at start, or another instance's copy) is the group's now.</summary>
    public void Register(IncidentState incident)
    {
        if (incident.IsActive && IdOf(incident) is { } id)
        {
            _groups[id] = incident;
        }
    }

    /// <summary>A group's incident left the decider: new problems of the group open a new one.</summary>
    public void Forget(IncidentState incident)
    {
        if (IdOf(incident) is { } id && _groups.TryGetValue(id, out var group) && ReferenceEquals(group, incident))
        {
            _groups.Remove(id);
        }
    }

    /// <summary>The group an incident collects for, or null when it is not a group's incident.</summary>
    private static GroupId? IdOf(IncidentState incident) =>
        incident.CorrelationRule.StartsWith(CorrelationRuleNames.GroupPrefix, StringComparison.Ordinal)
            ? new GroupId(incident.CorrelationRule[CorrelationRuleNames.GroupPrefix.Length..], incident.CorrelationKey)
            : null;

    private static string ValueOf(GroupKey key, Notification n, string customer, NagiosTopology topology) => key switch
    {
        GroupKey.Instance => n.Instance,
        GroupKey.Customer => customer,
        GroupKey.Host => n.Host,
        GroupKey.Service => n.Service,
        GroupKey.HostGroup => n.HostGroups.Length > 0 ? n.HostGroups : topology.GroupsOf(n.Host),
        GroupKey.ServiceGroup => n.ServiceGroups,
        _ => NagiosNames.Of(n.State),
    };

    /// <summary>A time-window group: the rule's name and the key its group-by fields made.</summary>
    private readonly record struct GroupId(string Rule, string Key);
}
