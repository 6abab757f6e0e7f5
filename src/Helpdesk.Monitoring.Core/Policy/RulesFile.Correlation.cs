using System.Text.Json;

namespace Helpdesk.Monitoring.Policy;

public static partial class RulesFile
{
    private static LifecycleRules? ReadDedup(JsonElement e, List<string> errors)
    {
        if (!IsObject(e, "dedup", errors))
        {
            return null;
        }

        Known(e, "dedup.", errors, "reopenWindow", "flapQuietPeriod", "verificationHold");
        return new LifecycleRules(
            OptionalDuration(e, "reopenWindow", "dedup", errors, allowZero: true),
            OptionalDuration(e, "flapQuietPeriod", "dedup", errors, allowZero: true),
            OptionalDuration(e, "verificationHold", "dedup", errors, allowZero: true));
    }

    private static CorrelationPolicy ReadCorrelation(JsonElement e, List<string> errors)
    {
        var defaults = new CorrelationPolicy();
        if (!IsObject(e, "correlation", errors))
        {
            return defaults;
        }

        Known(e, "correlation.", errors, "hostDown", "topology", "resolve", "groups", "storm");
        var resolve = defaults.Resolve;
        if (Text(e, "resolve", "correlation", errors, required: false) is { } r)
        {
            resolve = r switch
            {
                "all" => ResolvePolicy.AllRecovered,
                "cause" => ResolvePolicy.CauseRecovered,
                "manual" => ResolvePolicy.Manual,
                _ => Invalid($"correlation.resolve: must be all, cause or manual, not '{r}'", errors, defaults.Resolve),
            };
        }

        return new CorrelationPolicy
        {
            HostDown = Bool(e, "hostDown", "correlation", errors) ?? defaults.HostDown,
            Topology = Bool(e, "topology", "correlation", errors) ?? defaults.Topology,
            Resolve = resolve,
            Groups = e.TryGetProperty("groups", out var g) ? ReadGroups(g, errors) : defaults.Groups,
            Storm = e.TryGetProperty("storm", out var s) ? ReadStorm(s, errors) : defaults.Storm,
        };
    }

    private static List<GroupingRule> ReadGroups(JsonElement list, List<string> errors)
    {
        var groups = new List<GroupingRule>();
        if (!IsArray(list, "correlation.groups", errors))
        {
            return groups;
        }

        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"correlation.groups[{i++}]";
            if (!IsObject(item, at, errors))
            {
                continue;
            }

            Known(item, at + ".", errors, "name", "match", "groupBy", "window", "maxSize");
            var name = Text(item, "name", at, errors, required: true) ?? "";
            if (groups.Any(other => other.Name == name))
            {
                errors.Add($"{at}.name: '{name}' is used by an earlier group");
            }

            var keys = new List<GroupKey>();
            if (item.TryGetProperty("groupBy", out var by) && IsArray(by, at + ".groupBy", errors))
            {
                foreach (var key in by.EnumerateArray())
                {
                    if (key.ValueKind == JsonValueKind.String && Enum.TryParse<GroupKey>(key.GetString(), ignoreCase: true, out var parsed) && char.IsLower(key.GetString()![0]))
                    {
                        keys.Add(parsed);
                    }
                    else
                    {
                        errors.Add($"{at}.groupBy: '{key}' is not one of instance, customer, host, service, hostGroup, serviceGroup, state");
                    }
                }
            }

            if (keys.Count == 0)
            {
                errors.Add($"{at}.groupBy: give at least one key (instance, customer, host, service, hostGroup, serviceGroup, state)");
            }

            var window = item.TryGetProperty("window", out _)
                ? OptionalDuration(item, "window", at, errors, allowZero: false) ?? TimeSpan.Zero
                : Invalid($"{at}.window: is required", errors, TimeSpan.Zero);
            var maxSize = Int(item, "maxSize", at, errors, min: 2) ?? 100;
            groups.Add(new GroupingRule(name, MatchOf(item, at, errors), keys, window, maxSize));
        }

        return groups;
    }

    private static StormPolicy ReadStorm(JsonElement e, List<string> errors)
    {
        var defaults = new StormPolicy();
        if (!IsObject(e, "correlation.storm", errors))
        {
            return defaults;
        }

        Known(e, "correlation.storm.", errors, "enabled", "enterPerMinute", "exitPerMinute");
        var storm = new StormPolicy
        {
            Enabled = Bool(e, "enabled", "correlation.storm", errors) ?? defaults.Enabled,
            EnterPerMinute = Int(e, "enterPerMinute", "correlation.storm", errors, min: 1) ?? defaults.EnterPerMinute,
            ExitPerMinute = Int(e, "exitPerMinute", "correlation.storm", errors, min: 0) ?? defaults.ExitPerMinute,
        };
        if (storm.ExitPerMinute >= storm.EnterPerMinute)
        {
            errors.Add($"correlation.storm.exitPerMinute: must be below enterPerMinute ({storm.EnterPerMinute}), or a storm could never end");
        }

        return storm;
    }

    private static TimeSpan? OptionalDuration(JsonElement e, string name, string at, List<string> errors, bool allowZero)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Duration.TryParse(value.GetString()!, out var d) && (allowZero || d > TimeSpan.Zero))
        {
            return d;
        }

        errors.Add($"{at}.{name}: must be a duration such as \"90s\", \"15m\", \"4h\", \"2d\" or \"1h30m\"{(allowZero ? "" : ", above zero")}");
        return null;
    }

    private static bool? Bool(JsonElement e, string name, string at, List<string> errors)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add($"{at}.{name}: must be true or false");
        return null;
    }

    private static int? Int(JsonElement e, string name, string at, List<string> errors, int min)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min)
        {
            return n;
        }

        errors.Add($"{at}.{name}: must be a whole number of at least {min}");
        return null;
    }

    private static T Invalid<T>(string error, List<string> errors, T fallback)
    {
        errors.Add(error);
        return fallback;
    }
}
