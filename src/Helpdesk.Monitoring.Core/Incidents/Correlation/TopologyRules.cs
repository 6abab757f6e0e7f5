using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>The topology rules the rules file turns on, in the order they are asked.</summary>
internal static class TopologyRules
{
    private static readonly TopologyRule[] All = [HostDownRule.Instance, ServiceDependencyRule.Instance, ParentRule.Instance, UnreachableRule.Instance];
    private static readonly TopologyRule[] HostDownOnly = [HostDownRule.Instance];
    private static readonly TopologyRule[] TopologyOnly = [ServiceDependencyRule.Instance, ParentRule.Instance, UnreachableRule.Instance];

    public static TopologyRule[] Enabled(CorrelationPolicy settings) => (settings.HostDown, settings.Topology) switch
    {
        (true, true) => All,
        (true, false) => HostDownOnly,
        (false, true) => TopologyOnly,
        _ => [],
    };
}
