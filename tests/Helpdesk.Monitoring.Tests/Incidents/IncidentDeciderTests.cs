using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

public sealed class IncidentDeciderTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(30);

    [Fact]
    public void A_problem_opens_an_incident_with_a_number_title_customer_and_priority()
    {
        var d = new DeciderDriver();
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem)));

        var incident = d.Single();
        Assert.Equal("INC-000001", incident.Number);
        Assert.Equal("web01 / HTTP is CRITICAL", incident.Title);
        Assert.Equal("acme", incident.Customer);
        Assert.Equal(IncidentStatus.Open, incident.Status);
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.Equal(1, incident.AlertCount);
        Assert.Contains("connection refused", incident.Description, StringComparison.Ordinal);
        Assert.Equal(TimelineKind.Opened, Assert.Single(d.Timeline).Kind);
    }

    [Fact]
    public void Copies_for_other_contacts_and_renotifications_only_count()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem)));
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 600)));

        var incident = d.Single();
        Assert.Equal(3, incident.AlertCount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 600), incident.LastSeenAt);
        Assert.Single(d.Timeline);
    }

    [Fact]
    public void A_redelivery_of_the_same_event_changes_nothing()
    {
        var d = new DeciderDriver();
        var problem = Records.Service(NotificationType.Problem);
        d.Apply(problem);
        Assert.Equal(ApplyOutcome.Redelivered, d.Apply(problem));
        Assert.Equal(ApplyOutcome.Redelivered, d.Apply(Records.Service(NotificationType.Problem), knownApplied: true));
        Assert.Equal(1, d.Single().AlertCount);
    }

    [Fact]
    public void A_state_change_updates_worst_state_priority_and_timeline()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - slow"));
        Assert.Equal(Priority.P4, d.Single().Priority);
        Assert.Equal(ApplyOutcome.Updated, d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Critical, output: "CRITICAL - down")));
        Assert.Equal(ApplyOutcome.Updated, d.Apply(Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - slow again")));

        var incident = d.Single();
        Assert.Equal(AlertState.Warning, incident.State);
        Assert.Equal(AlertState.Critical, incident.WorstState);
        Assert.Equal(Priority.P2, incident.Priority);
        Assert.Equal("WARNING - slow again", incident.LastOutput);
        Assert.Equal(3, d.Timeline.Count(e => e.IncidentId == incident.Id));
    }

    [Fact]
    public void Acknowledgement_records_author_and_comment()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        Assert.Equal(ApplyOutcome.Acknowledged, d.Apply(Records.Service(NotificationType.Acknowledgement, author: "alice", comment: "on it")));
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Acknowledgement, author: "alice", comment: "on it")));

        var incident = d.Single();
        Assert.Equal(IncidentStatus.Acknowledged, incident.Status);
        Assert.Equal("alice", incident.AcknowledgedBy);
        Assert.Equal("on it", incident.AcknowledgementComment);
        Assert.NotNull(incident.AcknowledgedAt);
    }

    [Fact]
    public void A_new_output_in_the_same_state_updates_the_incident_and_only_the_same_output_is_a_repeat()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, output: "CRITICAL - connection refused"));

        Assert.Equal(ApplyOutcome.Updated, d.Apply(Records.Service(NotificationType.Problem, output: "CRITICAL - socket timeout", timeT: Records.T0 + 30)));
        Assert.Equal("CRITICAL - socket timeout", d.Single().LastOutput);
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem, output: "CRITICAL - socket timeout", timeT: Records.T0 + 40)));
        Assert.Equal(3, d.Single().AlertCount);
    }

    [Fact]
    public void Every_further_contacts_recovery_changes_nothing()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        Assert.Equal(1, d.Decider.ActiveCount);

        // Three contacts: three copies of the same RECOVERY, as Nagios sends them.
        var outcomes = Enumerable.Range(0, 3)
            .Select(_ => d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "HTTP OK", timeT: Records.T0 + 60)))
            .ToList();

        Assert.Equal([ApplyOutcome.Resolved, ApplyOutcome.Repeated, ApplyOutcome.Repeated], outcomes);
        Assert.Single(d.Timeline, e => e.Kind == TimelineKind.Resolved);
        Assert.Equal(0, d.Decider.ActiveCount);
    }

    [Fact]
    public void Recovery_resolves_and_the_hold_closes()
    {
        var d = new DeciderDriver(new IncidentPolicy { VerificationHold = Hold });
        d.Apply(Records.Service(NotificationType.Problem));
        Assert.Equal(ApplyOutcome.Resolved, d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "HTTP OK", timeT: Records.T0 + 60)));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);

        d.Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60);
        d.Advance(Hold - TimeSpan.FromSeconds(1));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
        d.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(IncidentStatus.Closed, d.Single().Status);
        Assert.Equal(d.Now, d.Single().ClosedAt);
        Assert.Equal(0, d.Decider.LiveCount);
    }

    [Fact]
    public void A_problem_within_the_reopen_window_reopens_and_later_opens_a_new_incident()
    {
        var policy = new IncidentPolicy { VerificationHold = TimeSpan.FromHours(2), ReopenWindow = TimeSpan.FromMinutes(15) };
        var d = new DeciderDriver(policy);
        d.Apply(Records.Service(NotificationType.Problem));
        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 60));
        Assert.Equal(ApplyOutcome.Reopened, d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 60 + 900)));
        Assert.Equal(1, d.Single().ReopenCount);
        Assert.Equal(IncidentStatus.Open, d.Single().Status);

        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 2000));
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 2000 + 901)));
        Assert.Equal(2, d.Incidents.Count);
        Assert.Equal(IncidentStatus.Resolved, d.Incidents[1].Status);
        Assert.Equal(IncidentStatus.Open, d.Incidents[2].Status);
    }

    [Fact]
    public void A_closed_incident_is_never_reopened()
    {
        var d = new DeciderDriver(new IncidentPolicy { VerificationHold = TimeSpan.FromMinutes(5), ReopenWindow = TimeSpan.FromMinutes(60) });
        d.Apply(Records.Service(NotificationType.Problem));
        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok));
        d.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 400)));
        Assert.Equal(IncidentStatus.Closed, d.Incidents[1].Status);
        Assert.Equal(IncidentStatus.Open, d.Incidents[2].Status);
    }

    [Fact]
    public void Recovery_and_acknowledgement_without_an_incident_are_ignored_and_custom_is_a_note()
    {
        var d = new DeciderDriver();
        Assert.Equal(ApplyOutcome.Ignored, d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok)));
        Assert.Equal(ApplyOutcome.Ignored, d.Apply(Records.Service(NotificationType.Acknowledgement)));
        d.Apply(Records.Service(NotificationType.Problem));
        Assert.Equal(ApplyOutcome.Noted, d.Apply(Records.Service(NotificationType.Custom, author: "bob", comment: "calling the ISP")));
        Assert.Contains(d.Timeline, e => e.Kind == TimelineKind.Note && e.Text.Contains("calling the ISP", StringComparison.Ordinal));
    }

    [Fact]
    public void Host_and_service_incidents_and_instances_are_separate_identities()
    {
        // Without host-down correlation (tested on its own), a host and a service on it are two identities.
        var d = new DeciderDriver(new IncidentPolicy { Rules = new HelpdeskRules { Correlation = new CorrelationPolicy { HostDown = false } } });
        d.Apply(Records.Host(NotificationType.Problem, host: "web01"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", instance: "nagios-b"));
        Assert.Equal(3, d.Incidents.Count);
    }

    [Fact]
    public void State_rebuilt_from_committed_records_decides_the_same()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem));
        d.Apply(Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 10));
        d.Apply(Records.Service(NotificationType.Problem, host: "db01"));
        d.Restart();
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem, host: "db01")));
        Assert.Equal(ApplyOutcome.Reopened, d.Apply(Records.Service(NotificationType.Problem, timeT: Records.T0 + 20)));
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem, host: "new01")));

        // The rebuilt decider continues the numbering: the new incident is the third, not a reuse of an earlier number.
        Assert.Equal(3, d.Incidents.Values.Single(i => i.Host == "new01").Id);
    }

    [Fact]
    public void The_same_stream_applied_twice_with_redeliveries_gives_the_same_incidents()
    {
        var stream = new List<Notification>();
        for (var i = 0; i < 200; i++)
        {
            var host = "h" + (i % 7);
            stream.Add(i % 5 == 4
                ? Records.Service(NotificationType.Recovery, host: host, state: AlertState.Ok, timeT: Records.T0 + i)
                : Records.Service(NotificationType.Problem, host: host, timeT: Records.T0 + i, output: "out " + (i % 3)));
        }

        var once = new DeciderDriver();
        stream.ForEach(n => once.Apply(n));
        var twice = new DeciderDriver();
        foreach (var n in stream)
        {
            twice.Apply(n);
            twice.Apply(n);
        }

        Assert.Equal(once.Incidents.Values.Select(Comparable), twice.Incidents.Values.Select(Comparable));
    }

    private static object Comparable(IncidentRecord r) => (r.Id, r.Status, r.AlertCount, r.State, r.ReopenCount, r.LastOutput);
}
