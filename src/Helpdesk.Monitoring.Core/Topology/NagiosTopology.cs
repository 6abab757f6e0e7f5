namespace Helpdesk.Monitoring.Topology;

/// <summary>A host another depends on, and how: a parent (network path) or a host dependency.</summary>
public readonly record struct HostLink(string Host, string Rule);

/// <summary>
/// What Nagios knows about how its objects depend on each other: parents, host and service dependencies, host and
/// service groups. Read from objects.cache (see <see cref="ObjectsCacheReader"/>); immutable, swapped whole on reload.
/// </summary>
public sealed class NagiosTopology
{
    public static readonly NagiosTopology Empty = new([], [], [], new Dictionary<string, IReadOnlyList<string>>());

    private static readonly HostLink[] NoHosts = [];
    private static readonly (string Host, string Service)[] NoServices = [];
    private readonly Dictionary<string, HostLink[]> _masters;
    private readonly Dictionary<string, HostLink[]> _dependents;
    private readonly Dictionary<(string, string), (string Host, string Service)[]> _serviceMasters;
    private readonly Dictionary<(string, string), (string Host, string Service)[]> _serviceDependents;
    private readonly Dictionary<string, string> _groupsOf;

    public NagiosTopology(
        IEnumerable<(string Host, string Parent)> parents,
        IEnumerable<(string Master, string Dependent)> hostDependencies,
        IEnumerable<((string Host, string Service) Master, (string Host, string Service) Dependent)> serviceDependencies,
        IReadOnlyDictionary<string, IReadOnlyList<string>> hostGroups)
    {
        var links = parents.Select(p => (Master: p.Parent, Dependent: p.Host, Rule: Incidents.CorrelationRuleNames.ParentDown))
            .Concat(hostDependencies.Select(d => (d.Master, d.Dependent, Rule: Incidents.CorrelationRuleNames.HostDependency)))
            .Where(l => l.Master != l.Dependent)
            .Distinct()
            .ToList();
        _masters = links.GroupBy(l => l.Dependent, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => new HostLink(l.Master, l.Rule)).ToArray(), StringComparer.Ordinal);
        _dependents = links.GroupBy(l => l.Master, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => new HostLink(l.Dependent, l.Rule)).ToArray(), StringComparer.Ordinal);
        var services = serviceDependencies.Where(d => d.Master != d.Dependent).Distinct().ToList();
        _serviceMasters = services.GroupBy(d => d.Dependent).ToDictionary(g => g.Key, g => g.Select(d => d.Master).ToArray());
        _serviceDependents = services.GroupBy(d => d.Master).ToDictionary(g => g.Key, g => g.Select(d => d.Dependent).ToArray());
        _groupsOf = hostGroups.SelectMany(g => g.Value.Select(h => (Host: h, Group: g.Key)))
            .GroupBy(x => x.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(x => x.Group).Order(StringComparer.Ordinal)), StringComparer.Ordinal);
        HostCount = _masters.Keys.Concat(_dependents.Keys).Distinct(StringComparer.Ordinal).Count();
    }

    /// <summary>Hosts with at least one parent or dependency link.</summary>
    public int HostCount { get; }

    /// <summary>The host groups of a host, comma-separated like $HOSTGROUPNAMES$; for notifications sent without it.</summary>
    public string GroupsOf(string host) => _groupsOf.TryGetValue(host, out var groups) ? groups : "";

    /// <summary>The parents of a host and the hosts it depends on.</summary>
    public ReadOnlySpan<HostLink> MastersOf(string host) => _masters.TryGetValue(host, out var m) ? m : NoHosts;

    /// <summary>The children of a host and the hosts that depend on it.</summary>
    public ReadOnlySpan<HostLink> DependentsOf(string host) => _dependents.TryGetValue(host, out var d) ? d : NoHosts;

    public ReadOnlySpan<(string Host, string Service)> ServiceMastersOf(string host, string service) =>
        _serviceMasters.Count > 0 && _serviceMasters.TryGetValue((host, service), out var m) ? m : NoServices;

    public ReadOnlySpan<(string Host, string Service)> ServiceDependentsOf(string host, string service) =>
        _serviceDependents.Count > 0 && _serviceDependents.TryGetValue((host, service), out var d) ? d : NoServices;
}
