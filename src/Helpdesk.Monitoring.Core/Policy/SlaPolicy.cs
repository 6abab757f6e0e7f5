using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Policy;

/// <summary>Response (acknowledge) and resolution targets of one priority, and the calendar they run on.</summary>
public sealed record SlaTarget(TimeSpan Response, TimeSpan Resolution, string Calendar);

/// <summary>A customer's contract: which calendar its SLA clocks run on, whatever the priority's default.</summary>
public sealed record CalendarRule(RuleMatch Match, string Calendar);

/// <summary>
/// ITIL service levels: targets per priority on 24/7 or business-hours calendars (per customer), and the escalation
/// ladder L1 → L2 → L3: L1 has <see cref="L1Window"/> to acknowledge before the incident moves to L2, and a breached
/// target moves it up a tier.
/// </summary>
public sealed record SlaPolicy
{
    public const string Always = "24x7";

    public TimeSpan L1Window { get; init; } = TimeSpan.FromMinutes(15);

    public IReadOnlyDictionary<Priority, SlaTarget> Targets { get; init; } = new Dictionary<Priority, SlaTarget>
    {
        [Priority.P1] = new(TimeSpan.FromMinutes(15), TimeSpan.FromHours(4), Always),
        [Priority.P2] = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(8), Always),
        [Priority.P3] = new(TimeSpan.FromHours(2), TimeSpan.FromHours(24), Always),
        [Priority.P4] = new(TimeSpan.FromHours(8), TimeSpan.FromDays(3), Always),
        [Priority.P5] = new(TimeSpan.FromDays(1), TimeSpan.FromDays(5), Always),
    };

    public IReadOnlyDictionary<string, BusinessCalendar> Calendars { get; init; } = new Dictionary<string, BusinessCalendar> { [Always] = BusinessCalendar.AlwaysOpen };

    public IReadOnlyList<CalendarRule> CustomerCalendars { get; init; } = [];

    /// <summary>
    /// One sentence per priority whose response target is not longer than the L1 window: an unacknowledged incident
    /// then moves to L2 and, at its breach in the same moment, on to L3, so L2 never has it (the defaults do this for
    /// P1). A choice some make on purpose, so it is said by <c>rules check</c>, not refused.
    /// </summary>
    public IEnumerable<string> WithoutTimeAtL2() =>
        Targets.Where(t => t.Value.Response <= L1Window).OrderBy(t => t.Key).Select(t =>
            $"{Incidents.IncidentNames.Of(t.Key)}'s response target ({Duration.Format(t.Value.Response)}) is not longer than sla.l1Window "
            + $"({Duration.Format(L1Window)}): an unacknowledged {Incidents.IncidentNames.Of(t.Key)} goes from L1 to L3 at its breach, without time at L2");

    /// <summary>The target of a priority and the calendar it runs on for this notification's customer.</summary>
    public (SlaTarget Target, BusinessCalendar Calendar) For(Priority priority, Notification n, string customer)
    {
        var target = Targets[priority];
        var name = target.Calendar;
        foreach (var rule in CustomerCalendars)
        {
            if (rule.Match.Matches(n, customer))
            {
                name = rule.Calendar;
                break;
            }
        }

        return (target, Calendars.TryGetValue(name, out var calendar) ? calendar : BusinessCalendar.AlwaysOpen);
    }

    /// <summary>
    /// The calendar an incident's clocks run on once its priority became <paramref name="priority"/>: a customer's
    /// contract keeps its calendar whatever the priority; otherwise the new priority's own (a WARNING that opened as a
    /// P4 on office hours and turns CRITICAL, a P2 on 24x7, is not left waiting for the morning). A contract rule that
    /// names groups cannot be told again without the notification's groups, so the calendar the start chose stands.
    /// </summary>
    public string CalendarAfterChange(Priority priority, string current, string customer, string host, string service)
    {
        foreach (var rule in CustomerCalendars)
        {
            var match = rule.Match;
            if ((match.Customer is null || Glob.Matches(match.Customer, customer))
                && (match.Host is null || Glob.Matches(match.Host, host))
                && (match.Service is null || Glob.Matches(match.Service, service)))
            {
                return match.HostGroup is null && match.ServiceGroup is null ? rule.Calendar : current;
            }
        }

        return Targets[priority].Calendar;
    }

    public BusinessCalendar CalendarNamed(string name) => Calendars.TryGetValue(name, out var c) ? c : BusinessCalendar.AlwaysOpen;

    /// <summary>The next tier up the ladder, or null at the top.</summary>
    public static string? Above(string tier) => tier switch
    {
        "L1" => "L2",
        "L2" => "L3",
        "" => "L2",
        _ => null,
    };
}
