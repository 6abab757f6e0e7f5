namespace Helpdesk.Monitoring.Policy;

/// <summary>When an incident with several alerts resolves.</summary>
public enum ResolvePolicy : byte
{
    /// <summary>When its cause and every member alert have recovered (the default).</summary>
    AllRecovered = 1,

    /// <summary>When its cause recovers; members still failing are noted.</summary>
    CauseRecovered,

    /// <summary>Never by recoveries: an agent resolves it.</summary>
    Manual,
}

/// <summary>
/// Time-window grouping, like Alertmanager's group_by but kept as one incident: new problems matching
/// <see cref="Match"/> with the same values of <see cref="GroupBy"/> join the group's incident while it is open, was
/// opened less than <see cref="Window"/> ago and holds fewer than <see cref="MaxSize"/> alerts.
/// </summary>
public sealed record GroupingRule(string Name, RuleMatch Match, IReadOnlyList<GroupKey> GroupBy, TimeSpan Window, int MaxSize);

/// <summary>What a grouping rule groups by.</summary>
public enum GroupKey : byte
{
    Instance = 1,
    Customer,
    Host,
    Service,
    HostGroup,
    ServiceGroup,
    State,
}

/// <summary>
/// Storm mode: when more than <see cref="EnterPerMinute"/> new incidents would open within a minute, one storm incident
/// collects the new problems instead; the storm ends when the rate falls to <see cref="ExitPerMinute"/> or below.
/// </summary>
public sealed record StormPolicy
{
    public bool Enabled { get; init; } = true;
    public int EnterPerMinute { get; init; } = 100;
    public int ExitPerMinute { get; init; } = 20;
}

/// <summary>Which correlations run, and how multi-alert incidents resolve.</summary>
public sealed record CorrelationPolicy
{
    /// <summary>A service problem joins the incident of its DOWN or UNREACHABLE host.</summary>
    public bool HostDown { get; init; } = true;

    /// <summary>An UNREACHABLE host joins the incident of a failing parent (or host it depends on, from objects.cache).</summary>
    public bool Topology { get; init; } = true;

    public ResolvePolicy Resolve { get; init; } = ResolvePolicy.AllRecovered;

    public IReadOnlyList<GroupingRule> Groups { get; init; } = [];

    public StormPolicy Storm { get; init; } = new();
}
