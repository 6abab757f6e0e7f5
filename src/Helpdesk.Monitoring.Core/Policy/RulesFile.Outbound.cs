using System.Text.Json;

namespace Helpdesk.Monitoring.Policy;

public static partial class RulesFile
{
    private static OutboundRules ReadOutbound(JsonElement e, List<string> errors)
    {
        var defaults = new OutboundRules();
        if (!IsObject(e, "outbound", errors))
        {
            return defaults;
        }

        Known(e, "outbound.", errors, "routes", "default");
        var routes = new List<OutboundRoute>();
        if (e.TryGetProperty("routes", out var list) && IsArray(list, "outbound.routes", errors))
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var at = $"outbound.routes[{i++}]";
                if (!IsObject(item, at, errors))
                {
                    continue;
                }

                Known(item, at + ".", errors, "events", "priorities", "teams", "tiers", "customers", "channels");
                var channels = Words(item, "channels", at, errors);
                if (channels.Count == 0)
                {
                    errors.Add($"{at}.channels: name at least one channel (or '{OutboundRules.EveryChannel}' for every channel)");
                }

                routes.Add(new OutboundRoute(
                    Parsed<string>(item, "events", at, errors, static (string w, out string e) => OutboundRules.EventNames.Contains(e = w), "an incident event (opened, updated, correlated, merged, acknowledged, escalated, breached, resolved, reopened, closed, ...)"),
                    Parsed<Priority>(item, "priorities", at, errors, TryParsePriority, "P1, P2, P3, P4 or P5"),
                    Words(item, "teams", at, errors).ToHashSet(StringComparer.Ordinal),
                    Parsed<string>(item, "tiers", at, errors, static (string w, out string t) => (t = w) is "L1" or "L2" or "L3", "L1, L2 or L3"),
                    Words(item, "customers", at, errors).ToHashSet(StringComparer.OrdinalIgnoreCase),
                    channels));
            }
        }

        var fallback = e.TryGetProperty("default", out _) ? Words(e, "default", "outbound", errors) : defaults.Default;
        return new OutboundRules { Routes = routes, Default = fallback };
    }

    private delegate bool WordParser<T>(string word, out T value);

    /// <summary>P1 .. P5, exactly.</summary>
    private static bool TryParsePriority(string text, out Priority priority)
    {
        priority = text is ['P', >= '1' and <= '5'] ? (Priority)(text[1] - '0') : default;
        return priority != default;
    }

    private static HashSet<T> Parsed<T>(JsonElement e, string name, string at, List<string> errors, WordParser<T> parse, string expected)
    {
        var result = new HashSet<T>();
        foreach (var word in Words(e, name, at, errors))
        {
            if (parse(word, out var value))
            {
                result.Add(value);
            }
            else
            {
                errors.Add($"{at}.{name}: '{word}' is not {expected}");
            }
        }

        return result;
    }

    /// <summary>A list of non-empty strings; absent means empty.</summary>
    private static List<string> Words(JsonElement e, string name, string at, List<string> errors)
    {
        var result = new List<string>();
        if (!e.TryGetProperty(name, out var list) || !IsArray(list, $"{at}.{name}", errors))
        {
            return result;
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } word)
            {
                result.Add(word);
            }
            else
            {
                errors.Add($"{at}.{name}: entries must be non-empty strings");
            }
        }

        return result;
    }
}
