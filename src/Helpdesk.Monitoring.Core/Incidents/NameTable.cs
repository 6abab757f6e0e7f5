namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// One string for each distinct name the live incidents carry (instance, host, service, customer, team): a host's
/// services, a customer's hosts and every incident of one Nagios share theirs instead of each holding a copy, as
/// read from its notification or its stored row. Bounded: when it is full it starts again, so names of incidents long
/// closed, or a flood of made-up ones, cost at most <see cref="MaxNames"/> entries; live incidents keep their strings.
/// </summary>
internal sealed class NameTable
{
    private const int MaxNames = 1 << 16;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public int Count => _names.Count;

    public string Share(string name)
    {
        if (name.Length == 0)
        {
            return "";
        }

        if (_names.TryGetValue(name, out var shared))
        {
            return shared;
        }

        if (_names.Count >= MaxNames)
        {
            _names.Clear();
        }

        _names.Add(name, name);
        return name;
    }
}
