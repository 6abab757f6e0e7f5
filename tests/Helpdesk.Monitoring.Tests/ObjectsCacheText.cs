namespace Helpdesk.Monitoring.Tests;

/// <summary>Host definitions as Nagios writes them to objects.cache (tab-separated), for topology tests.</summary>
internal static class ObjectsCacheText
{
    public static string Hosts(params (string Name, string? Parent)[] hosts) =>
        string.Concat(hosts.Select(h => h.Parent is null
            ? $"define host {{\n\thost_name\t{h.Name}\n\t}}\n"
            : $"define host {{\n\thost_name\t{h.Name}\n\tparents\t{h.Parent}\n\t}}\n"));
}
