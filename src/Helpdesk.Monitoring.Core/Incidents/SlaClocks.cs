using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The SLA of every live incident: deadlines set when it opens, restarted when it reopens, tightened when its priority
/// rises, paused in maintenance; and what happens when a clock comes due (an L1 escalation, a breach). The deadlines
/// live on the incident; this class owns how they move and queues them on the decider's clocks.
/// </summary>
internal sealed class SlaClocks(IncidentPolicy policy, DueClocks clocks)
{
    /// <summary>The policy deadlines are computed with; replaced when the rules file is reloaded.</summary>
    public IncidentPolicy Policy { get; set; } = policy;

    public IncidentSla Start(Priority priority, Notification n, string customer, DateTimeOffset start)
    {
        var (target, calendar) = Policy.Rules.Sla.For(priority, n, customer);
        return new IncidentSla(calendar.Name, start, calendar.Add(start, target.Response), calendar.Add(start, target.Resolution), false, false, null, 0);
    }

    /// <summary>A reopened incident's clock starts again from the reopening, on the same calendar.</summary>
    public void Restart(IncidentState incident, DateTimeOffset start)
    {
        var calendar = Policy.Rules.Sla.CalendarNamed(incident.Sla.Calendar);
        var target = Policy.Rules.Sla.Targets[incident.Priority];
        incident.Sla = incident.Sla with
        {
            StartedAt = start,
            ResponseDueAt = calendar.Add(start, target.Response),
            ResolutionDueAt = calendar.Add(start, target.Resolution),
            ResponseBreached = false,
            ResolutionBreached = false,
            PausedAt = incident.InMaintenance ? start : null,
        };
        Schedule(incident);
    }

    /// <summary>The priority rose: the higher priority's (shorter) targets apply from the same start.</summary>
    public void Tighten(IncidentState incident) => MoveTargets(incident, static (current, target, _) => Earlier(current, target));

    /// <summary>
    /// A person set the priority: that priority's targets apply from the same start, earlier or later, except to a
    /// target already breached (a breach is history, not undone by a lower priority).
    /// </summary>
    public void Retarget(IncidentState incident) => MoveTargets(incident, static (current, target, breached) => breached ? current : target);

    /// <summary>
    /// Each deadline becomes what <paramref name="pick"/> makes of it and the current priority's target from the SLA's
    /// start, on the calendar that priority runs on. In maintenance too: the deadlines are then those the clock would
    /// have without the pause, and moving them by the pause when it ends is <see cref="Resume"/>'s.
    /// </summary>
    private void MoveTargets(IncidentState incident, Func<DateTimeOffset?, DateTimeOffset, bool, DateTimeOffset?> pick)
    {
        if (incident.Sla.StartedAt is not { } start)
        {
            return;
        }

        var sla = Policy.Rules.Sla;
        var name = sla.CalendarAfterChange(incident.Priority, incident.Sla.Calendar, incident.Customer, incident.Host, incident.Service);
        var calendar = sla.CalendarNamed(name);
        var target = sla.Targets[incident.Priority];
        incident.Sla = incident.Sla with
        {
            Calendar = calendar.Name,
            ResponseDueAt = pick(incident.Sla.ResponseDueAt, calendar.Add(start, target.Response), incident.Sla.ResponseBreached),
            ResolutionDueAt = pick(incident.Sla.ResolutionDueAt, calendar.Add(start, target.Resolution), incident.Sla.ResolutionBreached),
        };
        Schedule(incident);
    }

    /// <summary>
    /// <paramref name="into"/> took <paramref name="source"/>'s alerts by a merge. Whoever was paged for the other keeps
    /// it: the tier is the higher of the two. The customer has waited since the older of the two began: each deadline is
    /// the earlier of the two, on clocks that both run (a breach the other recorded comes with its deadline and is not
    /// recorded again). Returns what was taken, for the timeline, or an empty text.
    /// </summary>
    public string TakeOver(IncidentState into, IncidentState source)
    {
        var taken = new List<string>(2);
        if (TierRank(source.Tier) > TierRank(into.Tier))
        {
            into.Tier = source.Tier;
            taken.Add($"its tier {source.Tier}");
        }

        var (a, b) = (into.Sla, source.Sla);
        if (a.StartedAt is { } started && b.StartedAt is { } otherStarted && a.PausedAt is null && b.PausedAt is null)
        {
            // A response deadline counts while neither was acknowledged: the other's, once met, does not bind this one.
            var response = into.Status == IncidentStatus.Open && source.Status == IncidentStatus.Open && b.ResponseDueAt < a.ResponseDueAt;
            var resolution = b.ResolutionDueAt < a.ResolutionDueAt;
            if (response || resolution)
            {
                into.Sla = a with
                {
                    // The clock's start moves with the response deadline only: L1's window and a later rise of
                    // priority count from it, and an acknowledged incident's response is no longer owed.
                    StartedAt = response && otherStarted < started ? otherStarted : started,
                    ResponseDueAt = response ? b.ResponseDueAt : a.ResponseDueAt,
                    ResponseBreached = response ? b.ResponseBreached : a.ResponseBreached,
                    ResolutionDueAt = resolution ? b.ResolutionDueAt : a.ResolutionDueAt,
                    ResolutionBreached = resolution ? b.ResolutionBreached : a.ResolutionBreached,
                };
                taken.Add("its earlier SLA deadlines");
            }
        }

        Schedule(into);
        return string.Join(" and ", taken);
    }

    private static int TierRank(string tier) => tier switch
    {
        "L1" => 1,
        "L2" => 2,
        "L3" => 3,
        _ => 0,
    };

    /// <summary>
    /// What a breach waited for happened at <paramref name="at"/> (Nagios' time: an acknowledgement answers the response
    /// target, a recovery both): a breach recorded on arrival for a deadline after that is taken back, and the
    /// timeline says so. Escalations stay: someone was paged, and that is history.
    /// </summary>
    public static void Correct(IncidentState incident, DateTimeOffset at, bool resolved, CommitPlan plan)
    {
        var sla = incident.Sla;
        var response = sla.ResponseBreached && sla.ResponseDueAt is { } responseDue && at <= responseDue;
        var resolution = resolved && sla.ResolutionBreached && sla.ResolutionDueAt is { } resolutionDue && at <= resolutionDue;
        if (!response && !resolution)
        {
            return;
        }

        incident.Sla = sla with { ResponseBreached = sla.ResponseBreached && !response, ResolutionBreached = sla.ResolutionBreached && !resolution };
        var targets = response && resolution ? "response and resolution targets" : response ? "response target" : "resolution target";
        plan.Append(incident, at, TimelineKind.SlaCorrected, null,
            $"The {targets} met after all: {(resolved ? "recovered" : "acknowledged")} at {at:yyyy-MM-dd HH:mm:ss} UTC by Nagios' time, before the deadline; "
            + "the breach recorded when the deadline passed is taken back (the escalation stays)");
    }

    /// <summary>Maintenance started: the SLA clock stops; escalation waits.</summary>
    public static void Pause(IncidentState incident, DateTimeOffset at)
    {
        if (incident.Sla.StartedAt is not null && incident.Sla.PausedAt is null)
        {
            incident.Sla = incident.Sla with { PausedAt = at };
        }
    }

    /// <summary>Maintenance ended: deadlines move by the open (calendar) time the pause took.</summary>
    public void Resume(IncidentState incident, DateTimeOffset at)
    {
        if (incident.Sla.PausedAt is not { } paused)
        {
            return;
        }

        var calendar = Policy.Rules.Sla.CalendarNamed(incident.Sla.Calendar);
        DateTimeOffset? Moved(DateTimeOffset? due) => due is { } d && d > paused ? calendar.Add(at, calendar.Elapsed(paused, d)) : due;
        incident.Sla = incident.Sla with
        {
            StartedAt = incident.Sla.StartedAt + (at - paused),
            ResponseDueAt = Moved(incident.Sla.ResponseDueAt),
            ResolutionDueAt = Moved(incident.Sla.ResolutionDueAt),
            PausedAt = null,
        };
        Schedule(incident);
    }

    public void Schedule(IncidentState incident)
    {
        if (!incident.IsActive || incident.Sla.StartedAt is not { } start)
        {
            return;
        }

        if (incident.Tier is "L1" && incident.Status == IncidentStatus.Open)
        {
            clocks.Schedule(incident, Clock.L1Window, L1Due(incident, start));
        }

        if (incident.Sla.ResponseDueAt is { } response && !incident.Sla.ResponseBreached && incident.Status == IncidentStatus.Open)
        {
            clocks.Schedule(incident, Clock.Response, response);
        }

        if (incident.Sla.ResolutionDueAt is { } resolution && !incident.Sla.ResolutionBreached)
        {
            clocks.Schedule(incident, Clock.Resolution, resolution);
        }

        ScheduleCustomerUpdate(incident, incident.UpdatedAt);
    }

    /// <summary>
    /// The customer's next status update: on the cadence their rules give the incident's priority, counted in the
    /// open time of the incident's calendar from the SLA's start (an office-hours customer hears nothing at night, as
    /// nobody works its incident then), the first one after <paramref name="after"/>. None in maintenance or without a
    /// cadence.
    /// </summary>
    private void ScheduleCustomerUpdate(IncidentState incident, DateTimeOffset after)
    {
        if (!incident.IsActive || incident.InMaintenance || Policy.Rules.Customers.UpdateInterval(incident.Customer, incident.Priority) is not { } every)
        {
            incident.CustomerUpdateDue = null;
            return;
        }

        var start = incident.Sla.StartedAt ?? incident.OpenedAt;
        var calendar = Policy.Rules.Sla.CalendarNamed(incident.Sla.Calendar);
        var due = calendar.Add(start, TimeSpan.FromTicks(every.Ticks * (after < start ? 1 : (calendar.Elapsed(start, after).Ticks / every.Ticks) + 1)));
        if (incident.CustomerUpdateDue != due)
        {
            incident.CustomerUpdateDue = due;
            clocks.Schedule(incident, Clock.CustomerUpdate, due);
        }
    }

    /// <summary>A status update came due: an event the customer's channel sends, then the next one after now (never a catch-up burst).</summary>
    private void CustomerUpdate(IncidentState incident, DateTimeOffset due, DateTimeOffset now, CommitPlan plan)
    {
        incident.CustomerUpdateDue = null;
        if (Policy.Rules.Customers.UpdateInterval(incident.Customer, incident.Priority) is not { } every)
        {
            return;
        }

        plan.Append(incident, due, TimelineKind.CustomerUpdate, null,
            $"Status update to the customer (every {Duration.Format(every)} at {IncidentNames.Of(incident.Priority)})");
        ScheduleCustomerUpdate(incident, now > due ? now : due);
    }

    /// <summary>
    /// An SLA clock came due: an escalation or a breach, unless the entry is stale (the deadline moved, the tier or
    /// status changed) or the incident is in maintenance.
    /// </summary>
    public void Run(IncidentState incident, Clock clock, DateTimeOffset due, DateTimeOffset now, CommitPlan plan)
    {
        if (!incident.IsActive || incident.Sla.PausedAt is not null || incident.InMaintenance)
        {
            // No update is owed while paused; the next is scheduled again when maintenance ends or the incident reopens.
            if (clock == Clock.CustomerUpdate && incident.CustomerUpdateDue == due)
            {
                incident.CustomerUpdateDue = null;
            }

            return;
        }

        switch (clock)
        {
            case Clock.L1Window when incident.Status == IncidentStatus.Open && incident.Tier == "L1" && incident.Sla.StartedAt is { } start && L1Due(incident, start) == due:
                Escalate(incident, due, $"not acknowledged by L1 within {Duration.Format(Policy.Rules.Sla.L1Window)}", plan);
                break;
            case Clock.Response when incident.Status == IncidentStatus.Open && !incident.Sla.ResponseBreached && incident.Sla.ResponseDueAt == due:
                incident.Sla = incident.Sla with { ResponseBreached = true };
                Breach(incident, due, "Response", Policy.Rules.Sla.Targets[incident.Priority].Response, plan);
                break;
            case Clock.Resolution when !incident.Sla.ResolutionBreached && incident.Sla.ResolutionDueAt == due:
                incident.Sla = incident.Sla with { ResolutionBreached = true };
                Breach(incident, due, "Resolution", Policy.Rules.Sla.Targets[incident.Priority].Resolution, plan);
                break;
            case Clock.CustomerUpdate when incident.CustomerUpdateDue == due:
                CustomerUpdate(incident, due, now, plan);
                break;
        }
    }

    /// <summary>
    /// When L1's window ends: <see cref="SlaPolicy.L1Window"/> of the incident's calendar's open time from the clock's
    /// start, like its targets. An office-hours incident opened at night is L1's when the office opens, not L2's at
    /// 23:15 for a response due in the morning.
    /// </summary>
    private DateTimeOffset L1Due(IncidentState incident, DateTimeOffset start) =>
        Policy.Rules.Sla.CalendarNamed(incident.Sla.Calendar).Add(start, Policy.Rules.Sla.L1Window);

    /// <summary>A breached target is recorded; an incident nobody acknowledged also moves up a tier.</summary>
    private void Breach(IncidentState incident, DateTimeOffset at, string target, TimeSpan duration, CommitPlan plan)
    {
        incident.UpdatedAt = at;
        plan.Append(incident, at, TimelineKind.Breached, null,
            $"{target} target of {incident.Priority} breached: {Duration.Format(duration)} on the {incident.Sla.Calendar} calendar");
        if (incident.Status == IncidentStatus.Open)
        {
            Escalate(incident, at, $"{target.ToLowerInvariant()} target breached", plan);
        }
    }

    private static void Escalate(IncidentState incident, DateTimeOffset at, string why, CommitPlan plan)
    {
        if (SlaPolicy.Above(incident.Tier) is not { } next)
        {
            return;
        }

        var from = incident.Tier;
        incident.Escalate(next, at);
        plan.Append(incident, at, TimelineKind.Escalated, null, $"Escalated from {(from.Length > 0 ? from : "(no tier)")} to {next}: {why}");
    }

    private static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
