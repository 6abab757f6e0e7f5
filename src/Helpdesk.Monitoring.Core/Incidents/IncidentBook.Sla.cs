using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentBook
{
    private IncidentSla StartSla(Priority priority, Notification n, string customer, DateTimeOffset start)
    {
        var (target, calendar) = _policy.Rules.Sla.For(priority, n, customer);
        return new IncidentSla(calendar.Name, start, calendar.Add(start, target.Response), calendar.Add(start, target.Resolution), false, false, null, 0);
    }

    /// <summary>A reopened incident's clock starts again from the reopening, on the same calendar.</summary>
    private void RestartSla(IncidentState incident, DateTimeOffset start)
    {
        var calendar = _policy.Rules.Sla.CalendarNamed(incident.Sla.Calendar);
        var target = _policy.Rules.Sla.Targets[incident.Priority];
        incident.Sla = incident.Sla with
        {
            StartedAt = start,
            ResponseDueAt = calendar.Add(start, target.Response),
            ResolutionDueAt = calendar.Add(start, target.Resolution),
            ResponseBreached = false,
            ResolutionBreached = false,
            PausedAt = incident.InMaintenance ? start : null,
        };
        ScheduleSla(incident);
    }

    /// <summary>The priority rose: the higher priority's (shorter) targets apply from the same start.</summary>
    private void TightenSla(IncidentState incident)
    {
        if (incident.Sla.StartedAt is not { } start || incident.Sla.PausedAt is not null)
        {
            return;
        }

        var calendar = _policy.Rules.Sla.CalendarNamed(incident.Sla.Calendar);
        var target = _policy.Rules.Sla.Targets[incident.Priority];
        incident.Sla = incident.Sla with
        {
            ResponseDueAt = Earlier(incident.Sla.ResponseDueAt, calendar.Add(start, target.Response)),
            ResolutionDueAt = Earlier(incident.Sla.ResolutionDueAt, calendar.Add(start, target.Resolution)),
        };
        ScheduleSla(incident);
    }

    /// <summary>Maintenance started: the SLA clock stops; escalation waits.</summary>
    private static void PauseSla(IncidentState incident, DateTimeOffset at)
    {
        if (incident.Sla.StartedAt is not null && incident.Sla.PausedAt is null)
        {
            incident.Sla = incident.Sla with { PausedAt = at };
        }
    }

    /// <summary>Maintenance ended: deadlines move by the open (calendar) time the pause took.</summary>
    private void ResumeSla(IncidentState incident, DateTimeOffset at)
    {
        if (incident.Sla.PausedAt is not { } paused)
        {
            return;
        }

        var calendar = _policy.Rules.Sla.CalendarNamed(incident.Sla.Calendar);
        DateTimeOffset? Moved(DateTimeOffset? due) => due is { } d && d > paused ? calendar.Add(at, calendar.Elapsed(paused, d)) : due;
        incident.Sla = incident.Sla with
        {
            StartedAt = incident.Sla.StartedAt + (at - paused),
            ResponseDueAt = Moved(incident.Sla.ResponseDueAt),
            ResolutionDueAt = Moved(incident.Sla.ResolutionDueAt),
            PausedAt = null,
        };
        ScheduleSla(incident);
    }

    private void ScheduleSla(IncidentState incident)
    {
        if (!incident.IsActive || incident.Sla.StartedAt is not { } start)
        {
            return;
        }

        if (incident.Tier is "L1" && incident.Status == IncidentStatus.Open)
        {
            _clocks.Schedule(incident, Clock.L1Window, start + _policy.Rules.Sla.L1Window);
        }

        if (incident.Sla.ResponseDueAt is { } response && !incident.Sla.ResponseBreached && incident.Status == IncidentStatus.Open)
        {
            _clocks.Schedule(incident, Clock.Response, response);
        }

        if (incident.Sla.ResolutionDueAt is { } resolution && !incident.Sla.ResolutionBreached)
        {
            _clocks.Schedule(incident, Clock.Resolution, resolution);
        }
    }

    /// <summary>
    /// An SLA clock came due: an escalation or a breach, unless the entry is stale (the deadline moved, the tier or
    /// status changed) or the incident is in maintenance.
    /// </summary>
    private void RunSlaClock(IncidentState incident, Clock clock, DateTimeOffset due, CommitPlan plan)
    {
        if (!incident.IsActive || incident.Sla.PausedAt is not null || incident.InMaintenance)
        {
            return;
        }

        switch (clock)
        {
            case Clock.L1Window when incident.Status == IncidentStatus.Open && incident.Tier == "L1" && incident.Sla.StartedAt + _policy.Rules.Sla.L1Window == due:
                Escalate(incident, due, $"not acknowledged by L1 within {Duration.Format(_policy.Rules.Sla.L1Window)}", plan);
                break;
            case Clock.Response when incident.Status == IncidentStatus.Open && !incident.Sla.ResponseBreached && incident.Sla.ResponseDueAt == due:
                incident.Sla = incident.Sla with { ResponseBreached = true };
                Breach(incident, due, "Response", _policy.Rules.Sla.Targets[incident.Priority].Response, plan);
                break;
            case Clock.Resolution when !incident.Sla.ResolutionBreached && incident.Sla.ResolutionDueAt == due:
                incident.Sla = incident.Sla with { ResolutionBreached = true };
                Breach(incident, due, "Resolution", _policy.Rules.Sla.Targets[incident.Priority].Resolution, plan);
                break;
        }
    }

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
