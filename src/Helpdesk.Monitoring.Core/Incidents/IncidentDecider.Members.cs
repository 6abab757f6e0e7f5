using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    /// <summary>A notification about an alert that correlation put into another alert's (or a storm's) incident.</summary>
    private Decision ApplyToMember(IncidentState incident, MemberState member, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan) =>
        f.Type switch
        {
            NotificationType.Problem => MemberProblem(incident, member, record, in f, now, plan),
            NotificationType.Recovery => MemberRecovery(incident, member, record, in f, now, plan),
            NotificationType.Acknowledgement => Acknowledge(incident, record, in f, now, plan),

            // Flapping and downtime of one member do not hold or pause the whole incident: they are noted on it.
            _ => Note(incident, record, in f, now, plan),
        };

    private Decision MemberProblem(IncidentState incident, MemberState member, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        var reported = DateTimeOffset.FromUnixTimeSeconds(f.TimeT);
        if (incident.IsActive && !member.Recovered && f.State == member.State)
        {
            // The common case in a storm (another contact's copy, a re-notification): counters only, no allocation.
            CountMember(incident, member, reported, plan);
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        var problemId = ProblemIdOf(record, in f);
        var lateCopy = problemId.Length > 0 && member.ProblemId.Length > 0 ? problemId == member.ProblemId : reported < member.LastSeenAt;
        if (!incident.IsActive && !lateCopy)
        {
            // A new episode after the incident resolved: the alert starts over, correlated afresh.
            _index.ForgetIdentity(member.Fingerprint, incident);
            return OpenOrCorrelate(record, in f, now, plan);
        }

        CountMember(incident, member, reported, plan);
        if (!incident.IsActive || (lateCopy && member.Recovered))
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        var output = NotificationDecoder.Text(record, f.Output);
        var again = member.Recovered;
        member.Recovered = false;
        member.State = f.State;
        member.ProblemId = problemId;
        member.LastOutput = output;
        incident.UpdatedAt = now;
        var rise = Worsen(incident, record, in f);
        plan.Append(incident, reported, TimelineKind.StateChanged, f.EventId,
            $"{member.Name} {(again ? "failing again" : "now")} {NagiosNames.Of(f.State)}: {output}{rise}");
        return new Decision(ApplyOutcome.Updated, incident.Id);
    }

    private static void CountMember(IncidentState incident, MemberState member, DateTimeOffset reported, CommitPlan plan)
    {
        member.AlertCount++;
        incident.AlertCount++;
        member.LastSeenAt = reported > member.LastSeenAt ? reported : member.LastSeenAt;
        SeenMember(incident, reported);
        plan.Changed(incident, ChangeKind.Counters);
        plan.MemberChanged(member);
    }

    private Decision MemberRecovery(IncidentState incident, MemberState member, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        var reported = DateTimeOffset.FromUnixTimeSeconds(f.TimeT);
        if (!incident.IsActive || member.Recovered || reported < member.LastSeenAt)
        {
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        var output = NotificationDecoder.Text(record, f.Output);
        member.Recovered = true;
        member.State = f.State;
        member.LastOutput = output;

        // The recovery ends the episode: a copy of its PROBLEM timed before it, arriving late, is that episode's and
        // only counts (MemberProblem), instead of failing the member again or opening a new incident.
        member.LastSeenAt = reported;
        incident.UpdatedAt = now;
        plan.MemberChanged(member);
        var text = $"{member.Name} recovered ({NagiosNames.Of(f.State)}): {output}";
        return ResolveIfDone(incident, reported, f.EventId, text, plan)
            ? new Decision(ApplyOutcome.Resolved, incident.Id)
            : new Decision(ApplyOutcome.Updated, incident.Id);
    }

    /// <summary>
    /// After an alert of the incident recovered (<paramref name="text"/> says which): resolves it when its resolve policy
    /// says it is done, otherwise notes what it waits for. An incident of one alert resolves with its alert whatever the
    /// policy; flapping holds any incident open.
    /// </summary>
    private bool ResolveIfDone(IncidentState incident, DateTimeOffset at, Guid? eventId, string text, CommitPlan plan)
    {
        var causeDone = !incident.HasCause || NagiosNames.IsHealthy(incident.State);
        var waiting = Waiting(incident);
        var policy = _policy.Rules.Correlation.Resolve;
        var done = !incident.HeldByFlapping && causeDone && (incident.MemberCount == 0
            || (policy == ResolvePolicy.AllRecovered && waiting == 0)
            || (policy == ResolvePolicy.CauseRecovered && (incident.HasCause || waiting == 0)));
        if (done)
        {
            // The last alert to recover is named by the text; what the incident held is said too, or a receiver of the
            // resolved event reads "web3/HTTP recovered" as the whole outage's end without knowing it was.
            var held = incident.MemberCount == 0 ? ""
                : waiting == 0 ? (incident.MemberCount == 1 ? "; its correlated alert has recovered too" : $"; all {incident.MemberCount} correlated alerts have recovered")
                : $"; its cause has recovered (resolve policy: cause), with {waiting} of {incident.MemberCount} correlated alerts still failing";
            MarkResolved(incident, at, eventId, text + held + (incident.InMaintenance ? " (resolved in maintenance)" : ""), plan);
            return true;
        }

        var why = incident.HeldByFlapping ? "held open while flapping"
            : !causeDone ? $"its cause is still {NagiosNames.Of(incident.State)}"
            : policy == ResolvePolicy.Manual ? "resolve policy is manual: an agent resolves it"
            : $"waiting for {waiting} of {incident.MemberCount} correlated alerts";
        plan.Append(incident, at, TimelineKind.Note, eventId, $"{text}; {why}");
        return false;
    }

    private static int Waiting(IncidentState incident)
    {
        var waiting = 0;
        foreach (var member in incident.Members?.Values ?? Enumerable.Empty<MemberState>())
        {
            waiting += member.Recovered ? 0 : 1;
        }

        return waiting;
    }

    /// <summary>Puts a new failing alert into an incident as a member, recording the rule and key that decided it.</summary>
    private Decision Join(IncidentState incident, Notification n, string rule, string key, DateTimeOffset now, CommitPlan plan)
    {
        var member = new MemberState(
            new AlertMember(incident.Id, n.Instance, n.Host, n.Service, rule, key, n.State, false, IncidentText.ProblemId(n), 1, n.ReportedAt, n.ReportedAt, n.Output)
            {
                Customer = IncidentText.Customer(n),
            },
            Fingerprint.Of(n.Instance, n.Host, n.Service));
        _index.Attach(incident, member, decidedHere: true);
        incident.AlertCount++;
        SeenMember(incident, n.ReportedAt);
        incident.UpdatedAt = now;
        var rise = Worsen(incident, n);
        plan.MemberChanged(member);
        plan.Append(incident, n.ReportedAt, TimelineKind.Correlated, n.EventId,
            $"{n.Host}{(n.Service.Length > 0 ? "/" : "")}{n.Service} {NagiosNames.Of(n.State)} joined by rule {rule} (key {key}): {n.Output}{rise}");

        // A host that joined (an UNREACHABLE child) brings along what it explains: its services' earlier incidents.
        MergeExplained(incident, n.Instance, n.Host, n.Service, now, plan);
        RaiseForScope(incident, [member], now, plan);
        return new Decision(ApplyOutcome.Correlated, incident.Id);
    }

    /// <summary>
    /// The incident grew: when it now holds as many hosts or alerts as a scope rule names, its priority rises to the
    /// rule's (never falls), and the timeline says why. A storm has its own priority.
    /// </summary>
    private void RaiseForScope(IncidentState incident, ReadOnlySpan<MemberState> joined, DateTimeOffset now, CommitPlan plan)
    {
        var alerts = incident.MemberCount + 1;
        var rules = _policy.Rules.Priority;
        if (!incident.HasCause || incident.Priority == Policy.Priority.P1 || alerts < rules.SmallestScope)
        {
            return;
        }

        var (hosts, customers) = incident.Scope(joined);
        if (rules.ForScope(hosts, alerts, customers) is not { } scope || scope.Priority >= incident.Priority)
        {
            return;
        }

        var before = incident.Priority;
        incident.Priority = scope.Priority;
        incident.UpdatedAt = now;
        _sla.Tighten(incident);
        plan.Append(incident, now, TimelineKind.PriorityChanged, IncidentEventKind.Updated, null,
            $"Priority {IncidentNames.Of(before)} → {IncidentNames.Of(scope.Priority)}: it holds {scope.Rule.Describe(hosts, alerts, customers)} (rules file: priority.scope)");
    }

    /// <summary>
    /// An incident's "last seen" is its cause's: a cause's recovery is judged stale against it, so a member's later
    /// problem must not move it. A storm has no cause: there it is the latest member's.
    /// </summary>
    private static void SeenMember(IncidentState incident, DateTimeOffset reported)
    {
        if (!incident.HasCause)
        {
            incident.Seen(reported);
        }
    }
}
