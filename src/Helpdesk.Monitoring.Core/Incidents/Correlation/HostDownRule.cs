namespace Helpdesk.Monitoring.Incidents;

/// <summary>A host that is down explains every failing service on it.</summary>
internal sealed class HostDownRule : TopologyRule
{
    public static HostDownRule Instance { get; } = new();

    public override IncidentState? Explain(in AlertIdentity alert, ICauseIndex causes, out string rule, out string key)
    {
        (rule, key) = (CorrelationRuleNames.HostDown, alert.Host);
        return alert.IsHost ? null : causes.FailingIncidentOf(alert.Instance, alert.Host, "");
    }

    public override void ExplainedBy(in AlertIdentity cause, ICauseIndex causes, IncidentMerge merge)
    {
        if (cause.IsHost)
        {
            merge(cause.Host, static i => i.Service.Length > 0, CorrelationRuleNames.HostDown, cause.Host);
        }
    }
}
