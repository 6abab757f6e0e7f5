namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// The name someone probably meant when they wrote one nobody knows (<c>RulesFile</c> for <c>RulesPath</c>,
/// <c>stauts</c> for <c>status</c>): the closest by letters changed, added or removed, if it is close enough to be a
/// slip of the keyboard rather than another word.
/// </summary>
public static class NearestName
{
    public static string? Of(string written, IEnumerable<string> names)
    {
        var lower = written.ToLowerInvariant();
        return names
            .Select(name => (name, distance: Distance(lower, name.ToLowerInvariant())))
            .Where(c => c.distance <= Math.Max(2, written.Length / 2))
            .OrderBy(c => c.distance)
            .Select(c => c.name)
            .FirstOrDefault();
    }

    /// <summary>Levenshtein distance: how many letters to change, add or remove to turn one name into the other.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
