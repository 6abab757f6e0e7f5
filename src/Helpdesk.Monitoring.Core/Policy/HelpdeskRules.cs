namespace Helpdesk.Monitoring.Policy;

/// <summary>The helpdesk's policy, loaded from the rules file (see README, "Rules file"); defaults without one.</summary>
public sealed record HelpdeskRules
{
    public static readonly HelpdeskRules Default = new();

    public PriorityRules Priority { get; init; } = new();

    public RoutingRules Routing { get; init; } = new();

    public CorrelationPolicy Correlation { get; init; } = new();

    public SlaPolicy Sla { get; init; } = new();

    /// <summary>Which incident events go to which outbound channels.</summary>
    public OutboundRules Outbound { get; init; } = new();

    /// <summary>Customers' contacts, language and status-update intervals.</summary>
    public CustomerRules Customers { get; init; } = new();

    /// <summary>Lifecycle settings that override the service's configuration when the file gives them.</summary>
    public LifecycleRules? Dedup { get; init; }

    /// <summary>Retention settings that override the service's configuration when the file gives them.</summary>
    public RetentionRules? Retention { get; init; }
}
