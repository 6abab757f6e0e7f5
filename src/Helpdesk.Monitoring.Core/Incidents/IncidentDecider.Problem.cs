using System.Runtime.CompilerServices;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    private Decision Problem(IncidentState? incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        if (incident is null)
        {
            return OpenOrCorrelate(record, in f, now, plan);
        }

        var reported = DateTimeOffset.FromUnixTimeSeconds(f.TimeT);
        if (incident.IsActive)
        {
            // Nagios' workers run in parallel: a notification older than one already seen only counts.
            var stale = reported < incident.LastSeenAt;
            incident.AlertCount++;
            incident.Seen(reported);

            plan.Changed(incident, ChangeKind.Counters);
            if (stale || (f.State == incident.State && SameOutput(incident, record, f.Output)))
            {
                return new Decision(ApplyOutcome.Repeated, incident.Id);
            }

            return Update(incident, record, in f, now, plan);
        }

        if (IsLateCopy(incident, record, in f, reported))
        {
            // A copy from the episode the recovery already ended (a contact's copy that arrived late): it counts,
            // and never reopens.
            incident.AlertCount++;
            plan.Changed(incident, ChangeKind.Counters);
            return new Decision(ApplyOutcome.Repeated, incident.Id);
        }

        // Resolved: within the reopen window the same incident comes back, later a new one opens.
        return reported - incident.ResolvedAt!.Value <= _policy.ReopenWindow
            ? Reopen(incident, record, in f, now, plan)
            : OpenOrCorrelate(record, in f, now, plan);
    }

    /// <summary>
    /// Whether a PROBLEM for a resolved incident belongs to the episode already resolved: the same Nagios problem id,
    /// or, without ids, a time before the recovery.
    /// </summary>
    private static bool IsLateCopy(IncidentState incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset reported)
    {
        var problemId = ProblemIdOf(record, in f);
        return problemId.Length > 0 && incident.ProblemId.Length > 0
            ? problemId == incident.ProblemId
            : reported < incident.ResolvedAt!.Value;
    }

    /// <summary>Nagios' problem id of a notification: the current one when non-zero, else the last (4.4.6 recovery quirk).</summary>
    private static string ProblemIdOf(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        var (current, last) = f.IsServiceNotification ? (f.ServiceProblemId, f.LastServiceProblemId) : (f.HostProblemId, f.LastHostProblemId);
        return IncidentText.ProblemId(NotificationDecoder.Text(record, current), NotificationDecoder.Text(record, last));
    }

    private static bool SameOutput(IncidentState incident, ReadOnlySpan<byte> record, Utf8Slice output) =>
        output.Escaped
            ? NotificationDecoder.Text(record, output) == incident.LastOutput
            : output.Of(record).SequenceEqual(incident.LastOutputUtf8);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Decision Update(IncidentState incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        var previous = incident.State;
        incident.UpdatedAt = now;
        plan.Changed(incident, ChangeKind.Mutable);
        if (f.State == previous)
        {
            incident.LastOutputUtf8 = Utf8Of(record, f.Output);
        }
        else
        {
            var output = NotificationDecoder.Text(record, f.Output);
            incident.NewOutput(Utf8Of(record, f.Output), output);
            incident.State = f.State;
            var rise = Worsen(incident, record, in f);
            plan.Append(incident, DateTimeOffset.FromUnixTimeSeconds(f.TimeT), TimelineKind.StateChanged, f.EventId,
                $"{NagiosNames.Of(f.State)} (was {NagiosNames.Of(previous)}): {output}{rise}");
        }

        return new Decision(ApplyOutcome.Updated, incident.Id);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Decision Reopen(IncidentState incident, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan)
    {
        var output = NotificationDecoder.Text(record, f.Output);
        var reported = DateTimeOffset.FromUnixTimeSeconds(f.TimeT);
        incident.Reopen(now);
        _index.Activated();
        var (clockStart, late) = ClockStartOf(reported, "the SLA clocks count");
        _sla.Restart(incident, clockStart);
        incident.State = f.State;
        incident.ProblemId = ProblemIdOf(record, in f);
        var rise = Worsen(incident, record, in f);
        incident.NewOutput(Utf8Of(record, f.Output), output);
        incident.Seen(reported);
        var downtime = EnterScheduledDowntime(incident, reported);
        plan.Append(incident, reported, TimelineKind.Reopened, f.EventId,
            $"Reopened from {NagiosNames.Of(f.Type)} ({NagiosNames.Of(f.State)}) within the reopen window: {output}{rise}{late}{downtime}");
        return new Decision(ApplyOutcome.Reopened, incident.Id);
    }

    private Decision Open(ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan) =>
        Open(NotificationDecoder.Decode(record, in f), now, plan);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Decision Open(Notification n, DateTimeOffset now, CommitPlan plan, string rule = "", string key = "")
    {
        var reported = n.ReportedAt;
        var customer = IncidentText.Customer(n);
        var rules = _policy.Rules;
        var (team, tier) = rules.Routing.RouteOf(n, customer);
        var priority = rules.Priority.Of(n, customer, n.State);
        var opened = new IncidentRecord
        {
            Id = NextId(),
            Instance = n.Instance,
            Host = n.Host,
            Service = n.Service,
            Customer = customer,
            Title = IncidentText.Title(n),
            Description = IncidentText.Description(n),
            Status = IncidentStatus.Open,
            Priority = priority,
            Category = rules.Routing.CategoryOf(n, customer),
            Team = team,
            Tier = tier,
            State = n.State,
            WorstState = n.State,
            LastOutput = n.Output,
            ProblemId = IncidentText.ProblemId(n),
            AlertCount = 1,
            OpenedAt = reported,
            LastSeenAt = reported,
            UpdatedAt = now,
            CorrelationRule = rule,
            CorrelationKey = key,
            Sla = _sla.Start(priority, n, customer, ClockStartOf(reported, "").At),
        };
        if (_downtimes.Covering(n.Instance, n.Host, n.Service) is not null)
        {
            opened = opened with { InMaintenance = true, Sla = opened.Sla with { PausedAt = reported } };
        }

        var incident = Track(opened);
        plan.Opened(opened, incident);
        var late = ClockStartOf(reported, "the SLA clocks count").Why;
        var downtime = opened.InMaintenance ? $"; in maintenance: scheduled downtime since {_downtimes.Covering(n.Instance, n.Host, n.Service):yyyy-MM-dd HH:mm} UTC, no paging or escalation until it ends" : "";
        plan.Append(incident, reported, TimelineKind.Opened, n.EventId,
            $"Opened from {NagiosNames.Of(n.Type)} ({NagiosNames.Of(n.State)}): {n.Output}{(rule.Length > 0 ? $" (rule {rule}, key {key})" : "")}{late}{downtime}");
        return new Decision(ApplyOutcome.Opened, incident.Id);
    }

    /// <summary>A newly opened incident joins the decider: by id, identity and host, counted active, its SLA clock running.</summary>
    private IncidentState Track(IncidentRecord opened)
    {
        var incident = new IncidentState(opened, Fingerprint.Of(opened.Instance, opened.Host, opened.Service), _names);
        // Opened now from its notification: its title is the one its state (and no members yet) makes.
        incident.TitleIsCurrent();
        _index.Add(incident, opened: true);
        _sla.Schedule(incident);
        return incident;
    }

    /// <summary>
    /// A new failing state: remember the worst, and let the priority rise (never fall) with the urgency. Returns what
    /// the timeline entry of the change adds when the priority rose ("; priority P4 → P2"), else nothing: the rise
    /// moves the SLA deadlines and the subject of every message after it, so the timeline says when and why.
    /// </summary>
    private string Worsen(IncidentState incident, ReadOnlySpan<byte> record, in NotificationFields f)
    {
        var rules = _policy.Rules.Priority;
        return rules.TryImpactOf(f.Vars.Of(record), out var impact)
            ? Worsen(incident, f.State, rules.Matrix(impact, rules.UrgencyOf(f.State)))
            : Worsen(incident, NotificationDecoder.Decode(record, in f));
    }

    private string Worsen(IncidentState incident, Notification n) =>
        Worsen(incident, n.State, _policy.Rules.Priority.Of(n, IncidentText.Customer(n), n.State));

    private string Worsen(IncidentState incident, AlertState state, Priority candidate)
    {
        if (NagiosNames.Severity(state) > NagiosNames.Severity(incident.WorstState))
        {
            incident.WorstState = state;
        }

        var before = incident.Priority;
        var raised = PriorityRule.Raise(before, candidate);
        if (raised == before)
        {
            return "";
        }

        incident.Priority = raised;
        _sla.Tighten(incident);
        return $"; priority {IncidentNames.Of(before)} → {IncidentNames.Of(raised)}";
    }
}
