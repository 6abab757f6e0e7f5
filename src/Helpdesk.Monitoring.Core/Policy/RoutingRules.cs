using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Policy;

/// <summary>Which category, team and first tier an incident gets: the first matching rule of each list wins.</summary>
public sealed record RoutingRules
{
    public IReadOnlyList<CategoryRule> Categories { get; init; } = [];

    public string DefaultCategory { get; init; } = "";

    public IReadOnlyList<RouteRule> Routes { get; init; } = [];

    public string DefaultTeam { get; init; } = "helpdesk";

    public string DefaultTier { get; init; } = "L1";

    /// <summary>Without a matching category rule: network for host notifications, server for services.</summary>
    public string CategoryOf(Notification n, string customer)
    {
        foreach (var rule in Categories)
        {
            if (rule.Match.Matches(n, customer))
            {
                return rule.Category;
            }
        }

        return DefaultCategory.Length > 0 ? DefaultCategory : n.IsServiceNotification ? "server" : "network";
    }

    public (string Team, string Tier) RouteOf(Notification n, string customer)
    {
        foreach (var rule in Routes)
        {
            if (rule.Match.Matches(n, customer))
            {
                return (rule.Team, rule.Tier ?? DefaultTier);
            }
        }

        return (DefaultTeam, DefaultTier);
    }
}

/// <summary>A category for notifications that match.</summary>
public sealed record CategoryRule(RuleMatch Match, string Category);

/// <summary>A team (and tier) for notifications that match.</summary>
public sealed record RouteRule(RuleMatch Match, string Team, string? Tier);
