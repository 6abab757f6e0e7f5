using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Policy;
using Microsoft.Extensions.Configuration;

namespace Helpdesk.Monitoring.Hosting.Configuration;

/// <summary>
/// Settings under the Helpdesk section that no option takes (<c>Helpdesk:RulesFile</c> for <c>Helpdesk:RulesPath</c>).
/// The configuration binder passes over them without a word, so a misspelt key would leave the service running
/// without what the administrator set (no rules, no channel, the default key); each is told at start instead, with the
/// nearest setting it may have meant.
/// </summary>
internal static class UnknownSettings
{
    /// <summary>One sentence per key of <paramref name="section"/> that binding <paramref name="type"/> would ignore.</summary>
    public static IReadOnlyList<string> In(IConfigurationSection section, Type type)
    {
        var found = new List<string>();
        Walk(section, type, found);
        return found;
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> found)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsValue(type))
        {
            // A value has no settings below it; "Helpdesk:DataDirectory:Path" is a key nothing reads.
            foreach (var child in section.GetChildren())
            {
                found.Add($"{child.Path} is not a setting: {section.Path} is a single value, set it without anything after it");
            }

            return;
        }

        if (ElementType(type) is { } element)
        {
            // A dictionary's keys are names the user chooses (a channel, an instance); a list's are its indexes.
            foreach (var child in section.GetChildren())
            {
                Walk(child, element, found);
            }

            return;
        }

        var settings = Settings(type);
        foreach (var child in section.GetChildren())
        {
            if (!settings.TryGetValue(child.Key, out var property))
            {
                found.Add(Unknown(child, settings.Keys.Where(name => NotFromConfiguration(type, name) is null).ToList()));
            }
            else if (NotFromConfiguration(type, property.Name) is { } source)
            {
                found.Add($"{child.Path} is not a setting: {source}");
            }
            else
            {
                Walk(child, property.PropertyType, found);
            }
        }
    }

    private static string Unknown(IConfigurationSection child, List<string> known)
    {
        var parent = child.Path[..^child.Key.Length].TrimEnd(':');
        var nearest = NearestName.Of(child.Key, known);
        var hint = nearest is null
            ? $"{parent} takes {string.Join(", ", known.Order(StringComparer.Ordinal))}"
            : $"did you mean {parent}:{nearest}?";
        return $"{child.Path} is not a setting the service knows, so it would be ignored ({hint})";
    }

    /// <summary>Options the service fills from elsewhere, where the binder would also take them; null for a setting.</summary>
    private static string? NotFromConfiguration(Type type, string property) => (type.Name, property) switch
    {
        (nameof(IncidentPolicy), nameof(IncidentPolicy.Rules)) =>
            "priority, routing, correlation, SLA and outbound rules come from the rules file Helpdesk:RulesPath names",
        (nameof(IncidentPolicy), nameof(IncidentPolicy.Topology)) =>
            "parents and dependencies come from Nagios' objects.cache, which Helpdesk:Topology:ObjectsCachePath names",
        (nameof(HelpdeskOptions), nameof(HelpdeskOptions.RulesRetention)) =>
            "it is the rules file's \"retention\" section; in the configuration, retention is set under Helpdesk:Retention",
        _ => null,
    };

    /// <summary>
    /// What the binder can set on <paramref name="type"/>: a public property it can write, or an object it binds into (a
    /// read-only view such as a list interface is computed, not bound).
    /// </summary>
    private static Dictionary<string, PropertyInfo> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0
                        && (p.SetMethod is { IsPublic: true } || (p.GetMethod is { IsPublic: true } && !IsValue(p.PropertyType) && !p.PropertyType.IsInterface)))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        var generic = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            ?? type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return generic?.GetGenericArguments()[^1];
    }
}
