using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    /// <summary>
    /// FLAPPINGSTART holds the incident open as flapping (opening or reopening one if needed): while it flaps,
    /// recoveries are recorded but do not resolve, so the helpdesk sees one incident, not resolve/reopen churn.
    /// </summary>
    private Decision FlapStart(IncidentState? incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        var reported = DateTimeOffset.FromUnixTimeSeconds(f.TimeT);
        var outcome = ApplyOutcome.Noted;
        if (incident is null || !incident.IsActive)
        {
            var decision = incident is not null && reported - incident.ResolvedAt!.Value <= _policy.ReopenWindow
                ? Reopen(incident, record, in f, now, plan)
                : Open(record, in f, now, plan);
            incident = _index[decision.IncidentId];
            outcome = decision.Outcome;
        }

        if (incident.Flapping)
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        incident.Flapping = true;
        incident.FlapQuietUntil = null;
        incident.FlapCount++;
        incident.UpdatedAt = now;
        plan.Append(incident, reported, TimelineKind.Note, IncidentEventKind.FlappingStarted, f.EventId,
            $"Flapping started ({incident.FlapCount}x): held open until it has been quiet for {Duration.Words(_policy.FlapQuietPeriod)} after it stops");
        if (outcome == ApplyOutcome.Noted)
        {
            TakeState(incident, record, in f, now, plan);
        }

        return new Decision(outcome, incident.Id);
    }

    /// <summary>
    /// A flapping notification's state, when it is not older than what the incident holds. It may be the only word of
    /// it: while an object flaps Nagios notifies nothing else, after it stops it sends a RECOVERY only if it had
    /// notified a problem before the flapping began, and a problem only at the next state change. Without this an
    /// incident opened by FLAPPINGSTART stayed open at its first state after the object settled OK, and one that
    /// recovered while flapping was resolved although it settled failing.
    /// </summary>
    private void TakeState(IncidentState incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        if (f.State == incident.State || DateTimeOffset.FromUnixTimeSeconds(f.TimeT) < incident.LastSeenAt)
        {
            return;
        }

        _ = NagiosNames.IsHealthy(f.State)
            ? RecoverWhileFlapping(incident, record, in f, now, plan)
            : Update(incident, record, in f, now, plan);
    }

    /// <summary>FLAPPINGSTOP or FLAPPINGDISABLED: the current state applies once the quiet period has passed.</summary>
    private Decision FlapStop(IncidentState? incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        if (incident is null || !incident.Flapping)
        {
            return incident is null ? Decision.Ignored : new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        var reported = DateTimeOffset.FromUnixTimeSeconds(f.TimeT);
        TakeState(incident, record, in f, now, plan);
        incident.Flapping = false;
        incident.FlapQuietUntil = reported + _policy.FlapQuietPeriod;
        incident.UpdatedAt = now;
        _clocks.Schedule(incident, Clock.FlapQuiet, incident.FlapQuietUntil.Value);
        plan.Append(incident, reported, TimelineKind.Note, IncidentEventKind.FlappingStopped, f.EventId,
            $"{(f.Type == NotificationType.FlappingDisabled ? "Flap detection disabled" : "Flapping stopped")}: the state applies after {Duration.Words(_policy.FlapQuietPeriod)} of quiet");
        return new Decision(ApplyOutcome.Noted, incident.Id);
    }

    /// <summary>A recovery while held by flapping: remembered as the current state, not a resolve.</summary>
    private static Decision RecoverWhileFlapping(IncidentState incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        incident.State = f.State;
        incident.LastOutputUtf8 = Utf8Of(record, f.Output);
        incident.UpdatedAt = now;

        // On the timeline like the problem before it ("CRITICAL (was OK)"), so that the flap reads both ways; Nagios sends
        // few notifications while an object flaps, so these are few.
        plan.Append(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT), TimelineKind.Note, f.EventId,
            $"Recovered ({NagiosNames.Of(f.State)}) while flapping: {NotificationDecoder.Text(record, f.Output)}; held open until it has been quiet after flapping stops");
        return new Decision(ApplyOutcome.Updated, incident.Id);
    }

    /// <summary>A quiet period came due: a healthy incident is resolved, a failing one stays open.</summary>
    private void EndQuietPeriod(IncidentState incident, DateTimeOffset now, CommitPlan plan)
    {
        // Flapping again, or a later stop with its own entry: this entry is stale.
        if (incident.Flapping || incident.FlapQuietUntil is not { } until || until > now || !incident.IsActive)
        {
            return;
        }

        // Dated when the quiet period ended, as the SLA clocks' entries are dated when they came due: the same whether
        // this turn came at once or after a restart (or, in a replay, at the next notification).
        incident.FlapQuietUntil = null;
        incident.UpdatedAt = now;
        if (NagiosNames.IsHealthy(incident.State))
        {
            ResolveIfDone(incident, until, null, $"Resolved: {NagiosNames.Of(incident.State)} after flapping stopped and a quiet period", plan);
        }
        else
        {
            plan.Append(incident, until, TimelineKind.Note, null, $"Still {NagiosNames.Of(incident.State)} after flapping stopped: stays open");
        }
    }
}
