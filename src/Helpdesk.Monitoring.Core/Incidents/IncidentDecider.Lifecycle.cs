using System.Runtime.CompilerServices;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    private Decision Recovery(IncidentState? incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        if (incident is null)
        {
            _earlyRecoveries.Remember(record, in f, ProblemIdOf(record, in f), plan);
            return Decision.Ignored;
        }

        if (!incident.IsActive)
        {
            // Every contact gets its own copy of the RECOVERY: the later copies change nothing.
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        if (DateTimeOffset.FromUnixTimeSeconds(f.TimeT) < incident.LastSeenAt)
        {
            // Older than a problem already seen: it ended an earlier episode, not the one open now.
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        return incident.HeldByFlapping ? RecoverWhileFlapping(incident, record, in f, now, plan) : Resolve(incident, record, in f, now, plan);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Decision Resolve(IncidentState incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        var output = NotificationDecoder.Text(record, f.Output);
        var reported = DateTimeOffset.FromUnixTimeSeconds(f.TimeT);
        incident.State = f.State;
        incident.NewOutput(Utf8Of(record, f.Output), output);
        incident.UpdatedAt = now;
        if (incident.MemberCount > 0)
        {
            return ResolveIfDone(incident, reported, f.EventId, $"Cause recovered ({NagiosNames.Of(f.State)}): {output}", plan)
                ? new Decision(ApplyOutcome.Resolved, incident.Id)
                : new Decision(ApplyOutcome.Updated, incident.Id);
        }

        MarkResolved(incident, reported, f.EventId,
            $"Recovered ({NagiosNames.Of(f.State)}){(incident.InMaintenance ? " in maintenance" : "")}: {output}", plan);
        return new Decision(ApplyOutcome.Resolved, incident.Id);
    }

    /// <summary>The one way an incident becomes resolved: status, active count, timeline and close schedule in step.</summary>
    private void MarkResolved(IncidentState incident, DateTimeOffset at, Guid? eventId, string text, CommitPlan plan)
    {
        var (holdFrom, why) = ClockStartOf(at, "the verification hold counts");

        // A time in the future is not believed: a Nagios clock running ahead must not take back a breach.
        SlaClocks.Correct(incident, Believed(at, "").At, resolved: true, plan);
        incident.Resolve(holdFrom);
        _index.Deactivated();
        plan.Append(incident, holdFrom, TimelineKind.Resolved, eventId, text + why);
        ScheduleClose(incident);
    }

    private Decision Acknowledge(IncidentState? incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        if (incident is null || !incident.IsActive)
        {
            return Decision.Ignored;
        }

        var author = NotificationDecoder.Text(record, f.Author);
        var comment = NotificationDecoder.Text(record, f.Comment);
        if (incident.Status == IncidentStatus.Acknowledged && (SameAcknowledgement(incident, author, comment) || IsEcho(incident, author, comment)))
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        var (at, why) = Believed(DateTimeOffset.FromUnixTimeSeconds(f.TimeT), "it counts");
        incident.Acknowledge(at, author, comment, now);
        plan.Append(incident, at, TimelineKind.Acknowledged, f.EventId,
            $"Acknowledged in Nagios by {(author.Length > 0 ? author : "(unknown)")}{(comment.Length > 0 ? ": " + comment : "")}{why}");
        SlaClocks.Correct(incident, at, resolved: false, plan);
        return new Decision(ApplyOutcome.Acknowledged, incident.Id);
    }

    private static bool SameAcknowledgement(IncidentState incident, string author, string comment) =>
        author == incident.AcknowledgedBy && comment == incident.AcknowledgementComment;

    /// <summary>
    /// The ACKNOWLEDGEMENT Nagios sends after the helpdesk wrote an agent's acknowledgement to it: the same person,
    /// and the comment as the helpdesk wrote it (with the incident's number). Nothing new happened: no second entry.
    /// </summary>
    private static bool IsEcho(IncidentState incident, string author, string comment) =>
        author == NagiosCommand.Field(incident.AcknowledgedBy)
        && comment == NagiosCommand.Field(NagiosCommand.AcknowledgementComment(incident.AcknowledgementComment, IncidentNumber.Format(incident.Id)));

    /// <summary>CUSTOM notifications are notes on the timeline (a repeated copy is not added twice).</summary>
    private static Decision Note(IncidentState? incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        if (incident is null)
        {
            return Decision.Ignored;
        }

        var author = NotificationDecoder.Text(record, f.Author);
        var comment = NotificationDecoder.Text(record, f.Comment);
        var text = $"{NagiosNames.Of(f.Type)}{(author.Length > 0 ? " by " + author : "")}{(comment.Length > 0 ? ": " + comment : "")}";
        var key = $"{f.TimeT}|{text}";
        if (key == incident.LastNote)
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        incident.LastNote = key;
        incident.UpdatedAt = now;
        plan.Append(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT), TimelineKind.Note, f.EventId, text);
        return new Decision(ApplyOutcome.Noted, incident.Id);
    }
}
