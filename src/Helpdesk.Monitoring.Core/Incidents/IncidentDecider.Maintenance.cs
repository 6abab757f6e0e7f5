using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    /// <summary>
    /// DOWNTIMESTART: the incident's object is in maintenance. Nothing pages or escalates for it; a recovery still
    /// resolves it (marked "in maintenance"). Without an incident there is nothing to hold now, but the downtime is
    /// remembered: a problem inside it opens in maintenance.
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
        var services = EndServicesMaintenance(record, in f, now, plan);
        if (incident is null || !incident.InMaintenance)
        {
            return incident is null ? services ?? Decision.Ignored : new Decision(ApplyOutcome.Repeated, incident.Id);
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

    /// <summary>
    /// A host's downtime ended: its services' incidents that were in maintenance only through it (they opened inside
    /// it) are back to normal; one still failing is paged as new. Null when none was.
    /// </summary>
    private Decision? EndServicesMaintenance(ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        var n = NotificationDecoder.Decode(record, in f);
        if (n.Service.Length > 0)
        {
            return null;
        }

        Decision? first = null;
        foreach (var service in _index.CausedOn(n.Instance, n.Host))
        {
            if (service.Service.Length == 0 || !service.IsActive || !service.InMaintenance || _downtimes.Covering(n.Instance, n.Host, service.Service) is not null)
            {
                continue;
            }

            service.InMaintenance = false;
            service.UpdatedAt = now;
            _sla.Resume(service, n.ReportedAt);
            plan.Append(service, n.ReportedAt, TimelineKind.Note, IncidentEventKind.MaintenanceEnded, null,
                $"Maintenance of host {n.Host} {(n.Type == NotificationType.DowntimeCancelled ? "cancelled" : "ended")}; still {NagiosNames.Of(service.State)}: paged as new");
            first ??= new Decision(ApplyOutcome.Noted, service.Id);
        }

        return first;
    }

    /// <summary>
    /// Keeps which objects are in scheduled downtime, whatever incident (if any) the notification reaches, and writes
    /// each start and end with the batch, so a restart still knows a downtime that began before it.
    /// </summary>
    private void RememberDowntime(ReadOnlySpan<byte> record, in NotificationFields f, CommitPlan plan)
    {
        var n = NotificationDecoder.Decode(record, in f);
        if (n.Type == NotificationType.DowntimeStart)
        {
            if (_downtimes.Started(n.Instance, n.Host, n.Service, n.ReportedAt))
            {
                plan.Downtime(new ScheduledDowntime(n.Instance, n.Host, n.Service, n.ReportedAt));
            }
        }
        else if (_downtimes.Ended(n.Instance, n.Host, n.Service))
        {
            plan.Downtime(new ScheduledDowntime(n.Instance, n.Host, n.Service, null));
        }
    }

    /// <summary>A problem inside a scheduled downtime: the incident it opens or reopens is in maintenance from the start.</summary>
    private string EnterScheduledDowntime(IncidentState incident, DateTimeOffset at)
    {
        if (incident.InMaintenance || _downtimes.Covering(incident.Instance, incident.Host, incident.Service) is not { } since)
        {
            return "";
        }

        incident.InMaintenance = true;
        SlaClocks.Pause(incident, at);
        return $"; in maintenance: scheduled downtime since {since:yyyy-MM-dd HH:mm} UTC, no paging or escalation until it ends";
    }

    private static string By(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        var author = NotificationDecoder.Text(record, f.Author);
        var comment = NotificationDecoder.Text(record, f.Comment);
        return (author.Length > 0 ? " by " + author : "") + (comment.Length > 0 ? " (" + comment + ")" : "");
    }
}
