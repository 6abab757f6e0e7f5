using System.Text.Json;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// Reads the rules file (JSON, "version": 1). Strict: an unknown property is an error (a typo must not silently
/// change nothing), and every error names its place, e.g. <c>routing.routes[2].tier: must be L1, L2 or L3</c>.
/// </summary>
public static partial class RulesFile
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 };

    public static (HelpdeskRules? Rules, IReadOnlyList<string> Errors) Parse(string json)
    {
        var errors = new List<string>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            return (null, [JsonSyntax.Explain(ex, $"the rules file nests at most {Options.MaxDepth} levels")]);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, ["the rules file must be a JSON object"]);
            }

            Known(root, "", errors, "version", "dedup", "priority", "routing", "correlation", "sla", "outbound", "customers", "retention");
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 1)
            {
                errors.Add("version: must be 1");
            }

            var rules = new HelpdeskRules
            {
                Priority = root.TryGetProperty("priority", out var p) ? ReadPriority(p, errors) : new PriorityRules(),
                Routing = root.TryGetProperty("routing", out var r) ? ReadRouting(r, errors) : new RoutingRules(),
                Correlation = root.TryGetProperty("correlation", out var c) ? ReadCorrelation(c, errors) : new CorrelationPolicy(),
                Sla = root.TryGetProperty("sla", out var s) ? ReadSla(s, errors) : new SlaPolicy(),
                Dedup = root.TryGetProperty("dedup", out var d) ? ReadDedup(d, errors) : null,
                Outbound = root.TryGetProperty("outbound", out var o) ? ReadOutbound(o, errors) : new OutboundRules(),
                Customers = root.TryGetProperty("customers", out var cu) ? ReadCustomers(cu, errors) : new CustomerRules(),
                Retention = root.TryGetProperty("retention", out var re) ? ReadRetention(re, errors) : null,
            };
            return errors.Count == 0 ? (rules, errors) : (null, errors);
        }
    }

    private static PriorityRules ReadPriority(JsonElement e, List<string> errors)
    {
        var defaults = new PriorityRules();
        if (!IsObject(e, "priority", errors))
        {
            return defaults;
        }

        Known(e, "priority.", errors, "impactVariables", "defaultImpact", "impact", "urgency", "scope");
        var variables = e.TryGetProperty("impactVariables", out var v) ? Strings(v, "priority.impactVariables", errors) : defaults.ImpactVariables;
        var defaultImpact = e.TryGetProperty("defaultImpact", out var d) ? LevelOf(d, "priority.defaultImpact", errors) : defaults.DefaultImpact;
        var impact = new List<ImpactRule>();
        if (e.TryGetProperty("impact", out var list) && IsArray(list, "priority.impact", errors))
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var at = $"priority.impact[{i++}]";
                if (IsObject(item, at, errors))
                {
                    Known(item, at + ".", errors, "match", "impact");
                    impact.Add(new ImpactRule(MatchOf(item, at, errors), item.TryGetProperty("impact", out var level) ? LevelOf(level, at + ".impact", errors) : Missing(at + ".impact", errors, Level.Medium)));
                }
            }
        }

        var urgency = new Dictionary<AlertState, Level>(defaults.Urgency);
        if (e.TryGetProperty("urgency", out var u) && IsObject(u, "priority.urgency", errors))
        {
            foreach (var state in u.EnumerateObject())
            {
                var parsed = NagiosNames.ParseHostState(state.Name) is var h and not AlertState.None ? h : NagiosNames.ParseServiceState(state.Name);
                if (parsed is AlertState.None or AlertState.Ok or AlertState.Up)
                {
                    errors.Add($"priority.urgency.{state.Name}: not a failing Nagios state (DOWN, UNREACHABLE, CRITICAL, WARNING, UNKNOWN)");
                    continue;
                }

                urgency[parsed] = LevelOf(state.Value, "priority.urgency." + state.Name, errors);
            }
        }

        var scope = defaults.Scope;
        if (e.TryGetProperty("scope", out var scopes) && IsArray(scopes, "priority.scope", errors))
        {
            var rules = new List<ScopeRule>();
            var i = 0;
            foreach (var item in scopes.EnumerateArray())
            {
                var at = $"priority.scope[{i++}]";
                if (!IsObject(item, at, errors))
                {
                    continue;
                }

                Known(item, at + ".", errors, "hosts", "alerts", "customers", "priority");
                int Count(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= 2 ? n
                    : item.TryGetProperty(name, out _) ? Error(name) : 0;
                int Error(string name)
                {
                    errors.Add($"{at}.{name}: must be a whole number of at least 2");
                    return 0;
                }

                var (hosts, alerts, customers) = (Count("hosts"), Count("alerts"), Count("customers"));
                var priorityText = Text(item, "priority", at, errors, required: true) ?? "";
                if (hosts == 0 && alerts == 0 && customers == 0)
                {
                    errors.Add($"{at}: give \"hosts\", \"alerts\" or \"customers\" (how much an incident must hold)");
                }

                if (!TryParsePriority(priorityText, out var priority))
                {
                    errors.Add($"{at}.priority: must be P1, P2, P3, P4 or P5");
                }

                rules.Add(new ScopeRule(hosts, alerts, priority) { Customers = customers });
            }

            scope = rules;
        }

        return new PriorityRules { ImpactVariables = variables, DefaultImpact = defaultImpact, Impact = impact, Urgency = urgency, Scope = scope };
    }

    private static RoutingRules ReadRouting(JsonElement e, List<string> errors)
    {
        var defaults = new RoutingRules();
        if (!IsObject(e, "routing", errors))
        {
            return defaults;
        }

        Known(e, "routing.", errors, "defaultCategory", "categories", "defaultTeam", "defaultTier", "routes");
        var categories = new List<CategoryRule>();
        if (e.TryGetProperty("categories", out var list) && IsArray(list, "routing.categories", errors))
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var at = $"routing.categories[{i++}]";
                if (IsObject(item, at, errors))
                {
                    Known(item, at + ".", errors, "match", "category");
                    categories.Add(new CategoryRule(MatchOf(item, at, errors), Text(item, "category", at, errors, required: true) ?? ""));
                }
            }
        }

        var routes = new List<RouteRule>();
        if (e.TryGetProperty("routes", out var routeList) && IsArray(routeList, "routing.routes", errors))
        {
            var i = 0;
            foreach (var item in routeList.EnumerateArray())
            {
                var at = $"routing.routes[{i++}]";
                if (IsObject(item, at, errors))
                {
                    Known(item, at + ".", errors, "match", "team", "tier");
                    var tier = Text(item, "tier", at, errors, required: false);
                    routes.Add(new RouteRule(MatchOf(item, at, errors), Text(item, "team", at, errors, required: true) ?? "", Tier(tier, at + ".tier", errors)));
                }
            }
        }

        var defaultTier = Tier(Text(e, "defaultTier", "routing", errors, required: false), "routing.defaultTier", errors) ?? defaults.DefaultTier;
        return new RoutingRules
        {
            Categories = categories,
            DefaultCategory = Text(e, "defaultCategory", "routing", errors, required: false) ?? defaults.DefaultCategory,
            Routes = routes,
            DefaultTeam = Text(e, "defaultTeam", "routing", errors, required: false) ?? defaults.DefaultTeam,
            DefaultTier = defaultTier,
        };
    }

    private static RuleMatch MatchOf(JsonElement rule, string at, List<string> errors)
    {
        if (!rule.TryGetProperty("match", out var m))
        {
            return new RuleMatch();
        }

        if (!IsObject(m, at + ".match", errors))
        {
            return new RuleMatch();
        }

        Known(m, at + ".match.", errors, "customer", "host", "service", "hostGroup", "serviceGroup");
        var p = at + ".match";
        return new RuleMatch
        {
            Customer = Text(m, "customer", p, errors, required: false),
            Host = Text(m, "host", p, errors, required: false),
            Service = Text(m, "service", p, errors, required: false),
            HostGroup = Text(m, "hostGroup", p, errors, required: false),
            ServiceGroup = Text(m, "serviceGroup", p, errors, required: false),
        };
    }

    private static string? Tier(string? tier, string at, List<string> errors)
    {
        if (tier is null or "L1" or "L2" or "L3")
        {
            return tier;
        }

        errors.Add($"{at}: must be L1, L2 or L3, not '{tier}'");
        return null;
    }

    private static string? Text(JsonElement e, string name, string at, List<string> errors, bool required)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            if (required)
            {
                errors.Add($"{at}.{name}: is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            errors.Add($"{at}.{name}: must be a non-empty string");
            return null;
        }

        return value.GetString();
    }

    private static List<string> Strings(JsonElement e, string at, List<string> errors)
    {
        var result = new List<string>();
        if (!IsArray(e, at, errors))
        {
            return result;
        }

        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString()!.StartsWith('_'))
            {
                result.Add(item.GetString()!);
            }
            else
            {
                errors.Add($"{at}: entries must be custom variable names such as _SERVICEIMPACT");
            }
        }

        return result;
    }

    private static Level LevelOf(JsonElement e, string at, List<string> errors)
    {
        if (e.ValueKind == JsonValueKind.String && LevelText.TryParse(e.GetString()!, out var level))
        {
            return level;
        }

        errors.Add($"{at}: must be low, medium or high");
        return Level.Medium;
    }

    private static T Missing<T>(string at, List<string> errors, T fallback)
    {
        errors.Add($"{at}: is required");
        return fallback;
    }

    private static bool IsObject(JsonElement e, string at, List<string> errors)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        errors.Add($"{at}: must be an object");
        return false;
    }

    private static bool IsArray(JsonElement e, string at, List<string> errors)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            return true;
        }

        errors.Add($"{at}: must be an array");
        return false;
    }

    private static void Known(JsonElement e, string at, List<string> errors, params string[] names)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (!names.Contains(property.Name))
            {
                var meant = NearestName.Of(property.Name, names) is { } nearest ? $"did you mean {nearest}? " : "";
                errors.Add($"{at}{property.Name}: unknown setting ({meant}known here: {string.Join(", ", names)})");
            }
        }
    }
}
