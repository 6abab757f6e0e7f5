using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Decides where a new problem goes, asking the correlation rules in order: the topology rules (a failing alert
/// explains it), the time-window groups, then the storm. Adding a topology rule is a file beside this one and a line
/// in <see cref="TopologyRules"/>; the correlator itself does not change.
/// </summary>
internal sealed class Correlator(ICauseIndex causes)
{
    public TimeWindowGroupRule Groups { get; } = new();

    public StormRule Storm { get; } = new();

    /// <summary>The incident a new problem joins, or how it opens its own.</summary>
    public Correlation Correlate(CorrelationPolicy policy, Notification n, DateTimeOffset now, CommitPlan plan)
    {
        var alert = new AlertIdentity(n.Instance, n.Host, n.IsServiceNotification ? n.Service : "", n.State, n.ReportedAt);
        foreach (var rule in TopologyRules.Enabled(policy))
        {
            if (rule.Explain(in alert, causes, out var name, out var key) is { } cause)
            {
                return new Correlation(cause, name, key, null, 0);
            }
        }

        var (group, groupKey) = TimeWindowGroupRule.Match(policy.Groups, n, causes.Topology);
        if (group is not null && Groups.Explain(group, groupKey, n) is { } grouped)
        {
            return new Correlation(grouped, CorrelationRuleNames.GroupPrefix + group.Name, groupKey, null, 0);
        }

        if (Storm.Collects(policy.Storm, n, now, plan, out var startAtRate) is { } storm)
        {
            return new Correlation(storm, CorrelationRuleNames.Storm, storm.CorrelationKey, null, 0);
        }

        return group is null
            ? new Correlation(null, "", "", null, startAtRate)
            : new Correlation(null, CorrelationRuleNames.GroupPrefix + group.Name, groupKey, group, startAtRate);
    }

    /// <summary>
    /// An alert just started failing in <paramref name="into"/>: hands <paramref name="merge"/> the earlier incidents
    /// each topology rule says it explains (Nagios often notifies a service before its host).
    /// </summary>
    public void ExplainedBy(CorrelationPolicy policy, in AlertIdentity cause, IncidentMerge merge)
    {
        foreach (var rule in TopologyRules.Enabled(policy))
        {
            rule.ExplainedBy(in cause, causes, merge);
        }
    }
}

/// <summary>
/// Where a new problem goes: into <see cref="Into"/> by <see cref="Rule"/> and <see cref="Key"/>; or, when
/// <see cref="Into"/> is null, into a new storm incident when <see cref="StartStormAtRate"/> is set, else into an
/// incident of its own (labelled with the group's rule and key when <see cref="Group"/> opens one).
/// </summary>
internal readonly record struct Correlation(IncidentState? Into, string Rule, string Key, GroupingRule? Group, int StartStormAtRate);
