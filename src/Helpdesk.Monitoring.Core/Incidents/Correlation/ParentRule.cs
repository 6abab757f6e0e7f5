using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// A host that is down explains the hosts behind it that Nagios reports UNREACHABLE: its children (parents) and the
/// hosts that depend on it (hostdependency objects). The link's own rule name says which.
/// </summary>
internal sealed class ParentRule : TopologyRule
{
    public static ParentRule Instance { get; } = new();

    public override IncidentState? Explain(in AlertIdentity alert, ICauseIndex causes, out string rule, out string key)
    {
        if (alert.IsHost && alert.State == AlertState.Unreachable)
        {
            foreach (var link in causes.Topology.MastersOf(alert.Host))
            {
                if (causes.FailingIncidentOf(alert.Instance, link.Host, "") is { } master)
                {
                    (rule, key) = (link.Rule, link.Host);
                    return master;
                }
            }
        }

        (rule, key) = ("", "");
        return null;
    }

    public override void ExplainedBy(in AlertIdentity cause, ICauseIndex causes, IncidentMerge merge)
    {
        if (!cause.IsHost)
        {
            return;
        }

        foreach (var link in causes.Topology.DependentsOf(cause.Host))
        {
            merge(link.Host, static i => i.Service.Length == 0 && i.State == AlertState.Unreachable, link.Rule, cause.Host);
        }
    }
}
