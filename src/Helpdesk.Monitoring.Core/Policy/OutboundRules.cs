namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// Which incident events go to which outbound channels (the rules file's <c>outbound</c> section). Every route that
/// matches an event adds its channels; an event no route matches goes to <see cref="Default"/>. Paging events
/// (opened, reopened, escalated, breached) of an incident in maintenance go nowhere.
/// </summary>
public sealed record OutboundRules
{
    /// <summary>Means every configured channel, in a route's or the default's channel list.</summary>
    public const string EveryChannel = "*";

    /// <summary>The incident events a route can name (as the API and the messages spell them).</summary>
    public static IReadOnlyList<string> EventNames { get; } =
    [
        "opened", "updated", "correlated", "merged", "acknowledged", "escalated", "breached", "maintenance_started", "maintenance_ended",
        "flapping_started", "flapping_stopped", "resolved", "reopened", "closed", "storm_started", "storm_ended", "noted",
        "assigned", "customer_note", "customer_update", "sla_corrected",
    ];

    public IReadOnlyList<OutboundRoute> Routes { get; init; } = [];

    /// <summary>Without a rules file (or without routes): every event to every channel.</summary>
    public IReadOnlyList<string> Default { get; init; } = [EveryChannel];

    /// <summary>The events that page someone: held back while the incident is in maintenance.</summary>
    public static bool Pages(string eventName) => eventName is "opened" or "reopened" or "escalated" or "breached";

    /// <summary>The channels, among <paramref name="configured"/>, that want this event.</summary>
    public IEnumerable<string> ChannelsFor(in OutboundEvent e, IReadOnlyCollection<string> configured)
    {
        if (configured.Count == 0 || (e.InMaintenance && Pages(e.Name)))
        {
            return [];
        }

        HashSet<string>? chosen = null;
        var matched = false;
        foreach (var route in Routes)
        {
            if (route.Matches(in e))
            {
                matched = true;
                Add(ref chosen, route.Channels, configured);
            }
        }

        if (!matched)
        {
            Add(ref chosen, Default, configured);
        }

        return chosen is null ? [] : configured.Where(chosen.Contains);
    }

    private static void Add(ref HashSet<string>? chosen, IReadOnlyList<string> channels, IReadOnlyCollection<string> configured)
    {
        chosen ??= new HashSet<string>(StringComparer.Ordinal);
        foreach (var channel in channels)
        {
            if (channel == EveryChannel)
            {
                chosen.UnionWith(configured);
            }
            else
            {
                chosen.Add(channel);
            }
        }
    }
}

/// <summary>What a route looks at in an incident event; <see cref="ByAgent"/>: a person did it in the helpdesk.</summary>
public readonly record struct OutboundEvent(string Name, Priority Priority, string Tier, string Team, string Customer, bool InMaintenance, bool ByAgent = false);

/// <summary>One outbound route: the events it takes (each list empty means any), and the channels they go to.</summary>
public sealed record OutboundRoute(
    IReadOnlySet<string> Events,
    IReadOnlySet<Priority> Priorities,
    IReadOnlySet<string> Teams,
    IReadOnlySet<string> Tiers,
    IReadOnlySet<string> Customers,
    IReadOnlyList<string> Channels)
{
    public bool Matches(in OutboundEvent e) =>
        (Events.Count == 0 || Events.Contains(e.Name))
        && (Priorities.Count == 0 || Priorities.Contains(e.Priority))
        && (Teams.Count == 0 || Teams.Contains(e.Team))
        && (Tiers.Count == 0 || Tiers.Contains(e.Tier))
        && (Customers.Count == 0 || Customers.Contains(e.Customer));
}
