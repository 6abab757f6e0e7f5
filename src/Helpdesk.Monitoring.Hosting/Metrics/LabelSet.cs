namespace Helpdesk.Monitoring.Hosting.Metrics;

/// <summary>
/// Up to two label pairs as a value key: our instruments have at most two bounded labels whose values are constant
/// strings, so recording a measurement allocates nothing.
/// </summary>
internal readonly record struct LabelSet(string? Name1, string? Value1, string? Name2, string? Value2)
{
    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length switch
    {
        0 => default,
        1 => new(tags[0].Key, tags[0].Value as string, null, null),
        _ => new(tags[0].Key, tags[0].Value as string, tags[1].Key, tags[1].Value as string),
    };

    /// <summary>The label list in braces, with <paramref name="extra"/> (for "le") appended; empty when there are none.</summary>
    public string Format(string? extraName = null, string? extraValue = null)
    {
        var parts = new List<string>(3);
        Add(parts, Name1, Value1);
        Add(parts, Name2, Value2);
        Add(parts, extraName, extraValue);
        return parts.Count == 0 ? "" : "{" + string.Join(',', parts) + "}";
    }

    private static void Add(List<string> parts, string? name, string? value)
    {
        if (name is not null)
        {
            parts.Add($"{name}=\"{Escape(value ?? "")}\"");
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
