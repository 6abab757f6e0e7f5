using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    /// <summary>
    /// DOWNTIMESTART: the incident's object is in maintenance. Nothing pages or escalates for it; a recovery still
    /// resolves it (marked "in maintenance"). Without an incident there is nothing to hold: Nagios itself sends no
    /// problem notifications during downtime.
    /// </summary>
    private static Decision MaintenanceStart(IncidentState? incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        if (incident is null || !incident.IsActive)
        {
            return incident is null ? Decision.Ignored : new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        if (incident.InMaintenance)
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        incident.InMaintenance = true;
        incident.UpdatedAt = now;
        SlaClocks.Pause(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT));
        plan.Append(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT), TimelineKind.Note, IncidentEventKind.MaintenanceStarted, f.EventId,
            $"Maintenance started{By(record, in f)}: no paging or escalation until it ends, SLA clock paused");
        return new Decision(ApplyOutcome.Noted, incident.Id);
    }

    /// <summary>DOWNTIMEEND or DOWNTIMECANCELLED: back to normal; an incident still failing is paged as new.</summary>
    private Decision MaintenanceEnd(IncidentState? incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        if (incident is null || !incident.InMaintenance)
        {
            return incident is null ? Decision.Ignored : new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        incident.InMaintenance = false;
        incident.UpdatedAt = now;
        _sla.Resume(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT));
        var ended = f.Type == NotificationType.DowntimeCancelled ? "Maintenance cancelled" : "Maintenance ended";
        if (incident.IsActive && incident.HasCause && NagiosNames.IsHealthy(f.State) && !incident.HeldByFlapping)
        {
            // Nagios sends no RECOVERY during downtime: the end notification's state is the only word that it recovered.
            plan.Append(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT), TimelineKind.Note, IncidentEventKind.MaintenanceEnded, f.EventId, $"{ended}{By(record, in f)}");
            incident.State = f.State;
            var resolved = ResolveIfDone(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT), null,
                $"Recovered during maintenance ({NagiosNames.Of(f.State)}), as the end of maintenance reports", plan);
            return new Decision(resolved ? ApplyOutcome.Resolved : ApplyOutcome.Noted, incident.Id);
        }

        plan.Append(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT), TimelineKind.Note, IncidentEventKind.MaintenanceEnded, f.EventId, incident.IsActive
            ? $"{ended}{By(record, in f)}; still {NagiosNames.Of(incident.State)}: paged as new"
            : $"{ended}{By(record, in f)}");
        return new Decision(ApplyOutcome.Noted, incident.Id);
    }

    private static string By(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        var author = NotificationDecoder.Text(record, f.Author);
        var comment = NotificationDecoder.Text(record, f.Comment);
        return (author.Length > 0 ? " by " + author : "") + (comment.Length > 0 ? " (" + comment + ")" : "");
    }
}
