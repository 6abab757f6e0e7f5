using System.Text.Json;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>
/// The part of the Adaptive Card schema, version 1.4, that the service's Teams cards use, checked as strictly as the
/// schema states it: each element's type, its required properties, no property the schema does not define for it, and
/// the values its enumerations allow. (Schema explorer: adaptivecards.io/explorer; no copy of the JSON schema is
/// shipped, the rules are written out here.) Returns every violation, with its JSON path.
/// </summary>
internal static class AdaptiveCardSchema
{
    private static readonly string[] Colors = ["default", "dark", "light", "accent", "good", "warning", "attention"];
    private static readonly string[] Sizes = ["default", "small", "medium", "large", "extralarge"];
    private static readonly string[] Weights = ["default", "lighter", "bolder"];
    private static readonly string[] ContainerStyles = ["default", "emphasis", "good", "attention", "warning", "accent"];
    private static readonly string[] Spacings = ["default", "none", "small", "medium", "large", "extralarge", "padding"];

    public static List<string> Violations(JsonElement card)
    {
        var errors = new List<string>();
        Known(card, "$", errors, "$schema", "type", "version", "body", "actions", "msteams", "fallbackText", "speak", "lang");
        Require(card, "$", errors, "type", "AdaptiveCard");
        if (!card.TryGetProperty("version", out var version) || version.GetString() is not ("1.0" or "1.1" or "1.2" or "1.3" or "1.4"))
        {
            errors.Add("$.version: must be a version up to 1.4");
        }

        if (card.TryGetProperty("body", out var body))
        {
            Elements(body, "$.body", errors);
        }

        if (card.TryGetProperty("actions", out var actions))
        {
            var i = 0;
            foreach (var action in actions.EnumerateArray())
            {
                var at = $"$.actions[{i++}]";
                Known(action, at, errors, "type", "title", "url", "style", "id", "iconUrl");
                Require(action, at, errors, "type", "Action.OpenUrl");
                if (!action.TryGetProperty("url", out var url) || !Uri.TryCreate(url.GetString(), UriKind.Absolute, out _))
                {
                    errors.Add($"{at}.url: required, an absolute URI");
                }
            }
        }

        return errors;
    }

    private static void Elements(JsonElement list, string at, List<string> errors)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}: must be an array");
            return;
        }

        var i = 0;
        foreach (var element in list.EnumerateArray())
        {
            var here = $"{at}[{i++}]";
            var type = element.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "TextBlock":
                    Known(element, here, errors, "type", "text", "color", "fontType", "horizontalAlignment", "isSubtle", "maxLines", "size", "weight", "wrap",
                        "spacing", "separator", "id", "isVisible", "height");
                    if (!element.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                    {
                        errors.Add($"{here}.text: required, a string");
                    }

                    OneOf(element, here, errors, "color", Colors);
                    OneOf(element, here, errors, "size", Sizes);
                    OneOf(element, here, errors, "weight", Weights);
                    Boolean(element, here, errors, "wrap");
                    Boolean(element, here, errors, "isSubtle");
                    break;
                case "Container":
                    Known(element, here, errors, "type", "items", "style", "bleed", "verticalContentAlignment", "minHeight", "spacing", "separator", "id", "isVisible");
                    OneOf(element, here, errors, "style", ContainerStyles);
                    OneOf(element, here, errors, "spacing", Spacings);
                    Boolean(element, here, errors, "bleed");
                    if (element.TryGetProperty("items", out var items))
                    {
                        Elements(items, here + ".items", errors);
                    }
                    else
                    {
                        errors.Add($"{here}.items: required");
                    }

                    break;
                case "FactSet":
                    Known(element, here, errors, "type", "facts", "spacing", "separator", "id", "isVisible");
                    if (!element.TryGetProperty("facts", out var facts) || facts.ValueKind != JsonValueKind.Array)
                    {
                        errors.Add($"{here}.facts: required, an array");
                        break;
                    }

                    var f = 0;
                    foreach (var fact in facts.EnumerateArray())
                    {
                        var factAt = $"{here}.facts[{f++}]";
                        Known(fact, factAt, errors, "title", "value");
                        foreach (var name in new[] { "title", "value" })
                        {
                            if (!fact.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String)
                            {
                                errors.Add($"{factAt}.{name}: required, a string");
                            }
                        }
                    }

                    break;
                default:
                    errors.Add($"{here}.type: '{type}' is not an element these cards use");
                    break;
            }
        }
    }

    private static void Known(JsonElement e, string at, List<string> errors, params string[] names)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (!names.Contains(property.Name))
            {
                errors.Add($"{at}.{property.Name}: not a property the schema defines here");
            }
        }
    }

    private static void Require(JsonElement e, string at, List<string> errors, string name, string value)
    {
        if (!e.TryGetProperty(name, out var v) || v.GetString() != value)
        {
            errors.Add($"{at}.{name}: must be '{value}'");
        }
    }

    private static void OneOf(JsonElement e, string at, List<string> errors, string name, string[] allowed)
    {
        if (e.TryGetProperty(name, out var v) && (v.ValueKind != JsonValueKind.String || !allowed.Contains(v.GetString()!.ToLowerInvariant())))
        {
            errors.Add($"{at}.{name}: '{v}' is not one of {string.Join(", ", allowed)}");
        }
    }

    private static void Boolean(JsonElement e, string at, List<string> errors, string name)
    {
        if (e.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add($"{at}.{name}: must be true or false");
        }
    }
}
