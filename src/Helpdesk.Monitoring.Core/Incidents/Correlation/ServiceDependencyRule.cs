namespace Helpdesk.Monitoring.Incidents;

/// <summary>A failing service explains the services that depend on it (Nagios servicedependency objects).</summary>
internal sealed class ServiceDependencyRule : TopologyRule
{
    public static ServiceDependencyRule Instance { get; } = new();

    public override IncidentState? Explain(in AlertIdentity alert, ICauseIndex causes, out string rule, out string key)
    {
        rule = CorrelationRuleNames.ServiceDependency;
        if (!alert.IsHost)
        {
            foreach (var (masterHost, masterService) in causes.Topology.ServiceMastersOf(alert.Host, alert.Service))
            {
                if (causes.FailingIncidentOf(alert.Instance, masterHost, masterService) is { } master)
                {
                    key = $"{masterHost}/{masterService}";
                    return master;
                }
            }
        }

        key = "";
        return null;
    }

    public override void ExplainedBy(in AlertIdentity cause, ICauseIndex causes, IncidentMerge merge)
    {
        if (cause.IsHost)
        {
            return;
        }

        foreach (var (dependentHost, dependentService) in causes.Topology.ServiceDependentsOf(cause.Host, cause.Service))
        {
            merge(dependentHost, i => i.Service == dependentService, CorrelationRuleNames.ServiceDependency, $"{cause.Host}/{cause.Service}");
        }
    }
}
