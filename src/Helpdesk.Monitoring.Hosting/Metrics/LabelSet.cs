namespace Helpdesk.Monitoring.Hosting.Metrics;

/// <summary>
/// Up to two label pairs as a value key: our instruments have at most two bounded labels whose values are constant
/// strings, so finding a measurement's series allocates nothing.
/// </summary>
internal readonly record struct LabelSet(string? Name1, string? Value1, string? Name2, string? Value2)
{
    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length switch
    {
        0 => default,
        1 => new(tags[0].Key, tags[0].Value as string, null, null),
        _ => new(tags[0].Key, tags[0].Value as string, tags[1].Key, tags[1].Value as string),
    };
}
