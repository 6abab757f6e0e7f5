using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Reconciliation;

/// <summary>What reconciliation decided for one object, and the notification that carries it into the pipeline.</summary>
public sealed record ReconcileDecision(string Kind, Notification Notification);

/// <summary>
/// Compares one Nagios instance's status.dat with the helpdesk's live incidents and says what notifications went
/// missing: a RECOVERY that never came (the object has been UP/OK longer than the grace period), a PROBLEM that never
/// came (a hard problem with notifications on, older than the grace period, in no incident), an acknowledgement or a
/// downtime seen only in Nagios. Each becomes the notification Nagios would have sent, marked as reconciled, with an id
/// made from what it is about and since when: applied once, however many times the same status is read again.
/// </summary>
public static class Reconciler
{
    public const string Author = "reconciliation";

    /// <param name="live">The instance's open or acknowledged incidents, with the alerts each holds (cause and members).</param>
    public static IReadOnlyList<ReconcileDecision> Decide(string instance, IReadOnlyList<ObjectStatus> status, IReadOnlyList<LiveView> live,
        DateTimeOffset now, TimeSpan grace)
    {
        var decisions = new List<ReconcileDecision>();
        var byObject = status.ToDictionary(s => (s.Host, s.Service));
        var covered = new HashSet<(string, string)>();
        foreach (var incident in live)
        {
            foreach (var alert in incident.Alerts)
            {
                covered.Add(alert);
            }

            if (incident.Cause is not { } cause || !byObject.TryGetValue(cause, out var s))
            {
                continue;
            }

            var since = DateTimeOffset.FromUnixTimeSeconds(s.LastStateChange);
            if (NagiosNames.IsHealthy(s.State) && now - since >= grace)
            {
                decisions.Add(new ReconcileDecision("recovered", Make(instance, s, NotificationType.Recovery, "recovery",
                    $"reconciled with Nagios' status.dat: {NagiosNames.Of(s.State)} since {since:yyyy-MM-dd HH:mm:ss} UTC, and no RECOVERY notification arrived ({s.Output})")));
            }
            else if (!NagiosNames.IsHealthy(s.State) && s.Acknowledged && !incident.Acknowledged)
            {
                decisions.Add(new ReconcileDecision("acknowledged", Make(instance, s, NotificationType.Acknowledgement, "acknowledgement",
                    s.Output, comment: "acknowledged in Nagios (seen in its status.dat; no ACKNOWLEDGEMENT notification arrived)")));
            }
            else if (!NagiosNames.IsHealthy(s.State) && s.InDowntime && !incident.InMaintenance)
            {
                decisions.Add(new ReconcileDecision("downtime", Make(instance, s, NotificationType.DowntimeStart, "downtime",
                    s.Output, comment: "in scheduled downtime in Nagios (seen in its status.dat; no DOWNTIMESTART notification arrived)")));
            }
        }

        foreach (var s in status)
        {
            var since = DateTimeOffset.FromUnixTimeSeconds(s.LastStateChange);
            if (!NagiosNames.IsHealthy(s.State) && s.Hard && s.NotificationsEnabled && !s.InDowntime && now - since >= grace && !covered.Contains((s.Host, s.Service))
                && (s.IsHost || !IsHostFailing(byObject, s.Host)))
            {
                decisions.Add(new ReconcileDecision("missed_problem", Make(instance, s, NotificationType.Problem, "problem",
                    $"missed notification: Nagios' status.dat shows {NagiosNames.Of(s.State)} (hard) since {since:yyyy-MM-dd HH:mm:ss} UTC, and no PROBLEM notification arrived ({s.Output})")));
            }
        }

        return decisions;
    }

    // A service of a failing host is explained by it (and Nagios often holds its notifications back): the host's incident counts.
    private static bool IsHostFailing(Dictionary<(string, string), ObjectStatus> byObject, string host) =>
        byObject.TryGetValue((host, ""), out var h) && !NagiosNames.IsHealthy(h.State);

    private static Notification Make(string instance, ObjectStatus s, NotificationType type, string what, string output, string comment = "") => new()
    {
        EventId = IdOf(instance, s, what),
        Instance = instance,
        Type = type,
        TimeT = Math.Max(1, s.LastStateChange),
        Host = s.Host,
        HostState = s.IsHost ? s.State : AlertState.Up,
        HostStateType = "HARD",
        HostOutput = s.IsHost ? output : "",
        Service = s.Service,
        ServiceState = s.IsHost ? AlertState.None : s.State,
        ServiceStateType = s.IsHost ? "" : "HARD",
        ServiceOutput = s.IsHost ? "" : output,
        ServiceProblemId = s.IsHost ? "" : s.ProblemId,
        HostProblemId = s.IsHost ? s.ProblemId : "",
        Author = comment.Length > 0 ? Author : "",
        Comment = comment,
    };

    /// <summary>Made from what the decision is about and since when: the same status read again makes the same id.</summary>
    private static Guid IdOf(string instance, ObjectStatus s, string what) =>
        DerivedId.Of($"helpdesk-reconcile\n{what}\n{instance}\n{s.Host}\n{s.Service}\n{s.LastStateChange}");
}

/// <summary>A live incident as reconciliation sees it: its cause's alert (none for a storm), every alert it holds, and its state.</summary>
public sealed record LiveView((string Host, string Service)? Cause, IReadOnlyList<(string Host, string Service)> Alerts, bool Acknowledged, bool InMaintenance);
