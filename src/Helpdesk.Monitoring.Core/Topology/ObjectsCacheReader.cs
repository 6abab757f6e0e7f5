namespace Helpdesk.Monitoring.Topology;

/// <summary>
/// Reads Nagios' objects.cache: <c>define TYPE {</c>, one <c>name&lt;TAB&gt;value</c> per line, <c>}</c>. Only hosts
/// (parents), host and service dependencies and host groups matter here; everything else is skipped.
/// </summary>
public static class ObjectsCacheReader
{
    public static NagiosTopology Read(TextReader reader)
    {
        var parents = new List<(string, string)>();
        var hostDependencies = new List<(string, string)>();
        var serviceDependencies = new List<((string, string), (string, string))>();
        var hostGroups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        string? type = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } raw)
        {
            var line = raw.Trim();
            if (line.StartsWith("define ", StringComparison.Ordinal) && line.EndsWith('{'))
            {
                type = line["define ".Length..^1].Trim();
                fields.Clear();
            }
            else if (line == "}" && type is not null)
            {
                Add(type, fields, parents, hostDependencies, serviceDependencies, hostGroups);
                type = null;
            }
            else if (type is not null && line.Length > 0)
            {
                var split = line.IndexOfAny([' ', '\t']);
                if (split > 0)
                {
                    fields[line[..split]] = line[(split + 1)..].Trim();
                }
            }
        }

        return new NagiosTopology(parents, hostDependencies, serviceDependencies, hostGroups);
    }

    private static void Add(
        string type, Dictionary<string, string> f, List<(string, string)> parents, List<(string, string)> hostDependencies,
        List<((string, string), (string, string))> serviceDependencies, Dictionary<string, IReadOnlyList<string>> hostGroups)
    {
        switch (type)
        {
            case "host" when f.TryGetValue("host_name", out var host):
                foreach (var parent in List(f, "parents"))
                {
                    parents.Add((host, parent));
                }

                break;
            case "hostdependency" when f.TryGetValue("host_name", out var master) && f.TryGetValue("dependent_host_name", out var dependent):
                hostDependencies.Add((master, dependent));
                break;
            case "servicedependency"
                when f.TryGetValue("host_name", out var mh) && f.TryGetValue("service_description", out var ms)
                    && f.TryGetValue("dependent_host_name", out var dh) && f.TryGetValue("dependent_service_description", out var ds):
                serviceDependencies.Add(((mh, ms), (dh, ds)));
                break;
            case "hostgroup" when f.TryGetValue("hostgroup_name", out var group):
                hostGroups[group] = List(f, "members");
                break;
        }
    }

    private static string[] List(Dictionary<string, string> f, string name) =>
        f.TryGetValue(name, out var value) ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
}
