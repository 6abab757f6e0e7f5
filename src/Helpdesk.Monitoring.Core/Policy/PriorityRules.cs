using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// ITIL priority = impact × urgency. Impact: a custom variable (default _SERVICEIMPACT, then _HOSTIMPACT) holding
/// low, medium or high; else the first impact rule that matches; else the default. Urgency: from the state.
/// </summary>
public sealed record PriorityRules
{
    public IReadOnlyList<string> ImpactVariables { get; init; } = ["_SERVICEIMPACT", "_HOSTIMPACT"];

    public IReadOnlyList<ImpactRule> Impact { get; init; } = [];

    /// <summary>
    /// Impact grows with what an incident holds: at so many hosts (or alerts), at least this priority. By default
    /// 10 hosts make a P2 and 25 a P1 (a core router taking a site with it is not a P3).
    /// </summary>
    public IReadOnlyList<ScopeRule> Scope
    {
        get => _scope;
        init
        {
            _scope = value;
            SmallestScope = value.Count == 0 ? int.MaxValue
                : value.Min(r => new[] { r.Hosts, r.Alerts, r.Customers }.Where(n => n > 0).DefaultIfEmpty(int.MaxValue).Min());
        }
    }

    private readonly IReadOnlyList<ScopeRule> _scope = [new ScopeRule(10, 0, Priority.P2), new ScopeRule(25, 0, Priority.P1), new ScopeRule(0, 0, Priority.P1) { Customers = 3 }];

    /// <summary>The fewest alerts any scope rule can be reached with (hosts and customers never outnumber alerts): below it, nothing to count.</summary>
    public int SmallestScope { get; private init; } = 3;

    /// <summary>The highest priority the scope rules give an incident of so many hosts, alerts and customers; null when none applies.</summary>
    public (Priority Priority, ScopeRule Rule)? ForScope(int hosts, int alerts, int customers = 0)
    {
        (Priority, ScopeRule)? best = null;
        foreach (var rule in Scope)
        {
            if (rule.Reached(hosts, alerts, customers) && (best is null || rule.Priority < best.Value.Item1))
            {
                best = (rule.Priority, rule);
            }
        }

        return best;
    }

    public Level DefaultImpact { get; init; } = Level.Medium;

    public IReadOnlyDictionary<AlertState, Level> Urgency { get; init; } = new Dictionary<AlertState, Level>
    {
        [AlertState.Down] = Level.High,
        [AlertState.Critical] = Level.High,
        [AlertState.Unreachable] = Level.Medium,
        [AlertState.Unknown] = Level.Medium,
        [AlertState.Warning] = Level.Low,
    };

    /// <summary>The ITIL matrix: rows impact (high, medium, low), columns urgency (high, medium, low).</summary>
    public Priority Matrix(Level impact, Level urgency) => (impact, urgency) switch
    {
        (Level.High, Level.High) => Priority.P1,
        (Level.High, Level.Medium) or (Level.Medium, Level.High) => Priority.P2,
        (Level.High, Level.Low) or (Level.Medium, Level.Medium) or (Level.Low, Level.High) => Priority.P3,
        (Level.Medium, Level.Low) or (Level.Low, Level.Medium) => Priority.P4,
        _ => Priority.P5,
    };

    public Level ImpactOf(Notification n, string customer)
    {
        foreach (var variable in ImpactVariables)
        {
            if (n.Var(variable) is { } value && LevelText.TryParse(value, out var level))
            {
                return level;
            }
        }

        foreach (var rule in Impact)
        {
            if (rule.Match.Matches(n, customer))
            {
                return rule.Impact;
            }
        }

        return DefaultImpact;
    }

    /// <summary>
    /// The impact from a record's custom-variable object alone, when nothing else of the notification can matter: an
    /// impact variable holds a level, or no impact rule exists (the default then). False when the rules must see the
    /// decoded notification. A worsening incident re-reads its priority at every state change; decoding the whole
    /// notification for it was an eighth of what a burst of changes allocated.
    /// </summary>
    public bool TryImpactOf(ReadOnlySpan<byte> varsObject, out Level impact)
    {
        // By index: a foreach over the interface would allocate an enumerator at every state change.
        for (var i = 0; i < ImpactVariables.Count; i++)
        {
            if (VarNames.Find(varsObject, ImpactVariables[i]) is { } value && LevelText.TryParse(value, out impact))
            {
                return true;
            }
        }

        impact = DefaultImpact;
        return Impact.Count == 0;
    }

    public Level UrgencyOf(AlertState state) => Urgency.TryGetValue(state, out var level) ? level : Level.Low;

    public Priority Of(Notification n, string customer, AlertState state) => Matrix(ImpactOf(n, customer), UrgencyOf(state));
}

/// <summary>An impact for notifications that match.</summary>
public sealed record ImpactRule(RuleMatch Match, Level Impact);

/// <summary>Level names as rules files write them.</summary>
public static class LevelText
{
    public static bool TryParse(string text, out Level level)
    {
        level = text.Trim().ToUpperInvariant() switch
        {
            "HIGH" => Level.High,
            "MEDIUM" => Level.Medium,
            "LOW" => Level.Low,
            _ => 0,
        };
        return level != 0;
    }
}

/// <summary>A scope threshold: an incident holding at least <see cref="Hosts"/> hosts or <see cref="Alerts"/> alerts (0: not counted) is at least <see cref="Priority"/>.</summary>
public sealed record ScopeRule(int Hosts, int Alerts, Priority Priority)
{
    /// <summary>At least this many customers (0: not counted): an outage that reaches several customers is a P1 for the helpdesk.</summary>
    public int Customers { get; init; }

    public bool Reached(int hosts, int alerts, int customers) =>
        (Hosts > 0 && hosts >= Hosts) || (Alerts > 0 && alerts >= Alerts) || (Customers > 0 && customers >= Customers);

    public string Describe(int hosts, int alerts, int customers = 0) =>
        Hosts > 0 && hosts >= Hosts ? $"{hosts} hosts (at least {Hosts})"
        : Alerts > 0 && alerts >= Alerts ? $"{alerts} alerts (at least {Alerts})"
        : $"alerts of {customers} customers (at least {Customers})";
}
