namespace Helpdesk.Monitoring.Incidents;

/// <summary>Names of the correlation rules, as recorded on members and incidents.</summary>
public static class CorrelationRuleNames
{
    public const string HostDown = "host-down";
    public const string ParentDown = "parent-down";
    public const string HostDependency = "host-dependency";
    public const string ServiceDependency = "service-dependency";

    /// <summary>Without a topology: UNREACHABLE hosts joined to the DOWN (or first UNREACHABLE) host of their instance.</summary>
    public const string Unreachable = "unreachable";
    public const string Storm = "storm";
    public const string GroupPrefix = "group:";
}
