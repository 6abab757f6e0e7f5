using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Reconciliation;

namespace Helpdesk.Monitoring.Tests.Reconciliation;

/// <summary>Nagios' status.dat against the live incidents: what went missing, decided once, and nothing while a notification may still come.</summary>
public sealed class ReconcilerTests
{
    private const string Status = """
        info {
        	created=1795000000
        	}

        hoststatus {
        	host_name=db01
        	current_state=1
        	state_type=1
        	plugin_output=PING CRITICAL - Packet loss = 100%
        	last_state_change=1795000000
        	current_problem_id=12
        	notifications_enabled=1
        	problem_has_been_acknowledged=0
        	scheduled_downtime_depth=0
        	}

        hoststatus {
        	host_name=web01
        	current_state=0
        	state_type=1
        	plugin_output=PING OK
        	last_state_change=1795000100
        	notifications_enabled=1
        	problem_has_been_acknowledged=0
        	scheduled_downtime_depth=0
        	}

        servicestatus {
        	host_name=db01
        	service_description=MySQL
        	current_state=2
        	state_type=1
        	plugin_output=connection refused; a=b
        	last_state_change=1795000010
        	notifications_enabled=1
        	problem_has_been_acknowledged=0
        	scheduled_downtime_depth=0
        	}

        servicestatus {
        	host_name=app01
        	service_description=HTTP
        	current_state=2
        	state_type=0
        	plugin_output=soft
        	last_state_change=1795000000
        	notifications_enabled=1
        	problem_has_been_acknowledged=0
        	scheduled_downtime_depth=0
        	}
        """;

    private static IReadOnlyList<ObjectStatus> Read() => StatusDatReader.Read(new StringReader(Status));

    [Fact]
    public void Reads_hosts_and_services_with_their_state_since_when_and_flags()
    {
        var status = Read();
        Assert.Equal(4, status.Count);
        var db = status[0];
        Assert.Equal(("db01", "", AlertState.Down, true, "12"), (db.Host, db.Service, db.State, db.Hard, db.ProblemId));
        Assert.Equal(("connection refused; a=b", AlertState.Critical), (status[2].Output, status[2].State));
        Assert.False(status[3].Hard);
    }

    [Fact]
    public void A_missing_recovery_and_a_missing_problem_are_put_in_once_after_the_grace_period()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1795000400);
        var live = new[] { new LiveView(("web01", ""), [("web01", "")], false, false) };

        var decisions = Reconciler.Decide("nagios-a", Read(), live, now, TimeSpan.FromMinutes(5));
        Assert.Equal([("missed_problem", "db01", "")], decisions.Where(d => d.Kind == "missed_problem").Select(d => (d.Kind, d.Notification.Host, d.Notification.Service)));
        var recovery = Assert.Single(decisions, d => d.Kind == "recovered").Notification;
        Assert.Equal((NotificationType.Recovery, "web01", AlertState.Up, 1795000100L), (recovery.Type, recovery.Host, recovery.HostState, recovery.TimeT));
        Assert.Contains("no RECOVERY notification arrived", recovery.HostOutput, StringComparison.Ordinal);

        // The MySQL service of the failing host is its host's to explain; the soft problem is not a notification's yet.
        Assert.DoesNotContain(decisions, d => d.Notification.Service.Length > 0);

        // The same status read again decides the same notifications with the same ids (applied once).
        var again = Reconciler.Decide("nagios-a", Read(), live, now, TimeSpan.FromMinutes(5));
        Assert.Equal(decisions.Select(d => d.Notification.EventId), again.Select(d => d.Notification.EventId));
        Assert.All(decisions, d => Assert.True(NotificationParser.TryParse(NotificationWriter.ToUtf8(d.Notification), out _, out var failure), failure.Message));

        // Within the grace period (a notification may still be on its way), nothing.
        Assert.Empty(Reconciler.Decide("nagios-a", Read(), live, DateTimeOffset.FromUnixTimeSeconds(1795000150), TimeSpan.FromMinutes(5)));

        // Once the problem has its incident, it is covered.
        var covered = new[] { new LiveView(("db01", ""), [("db01", ""), ("db01", "MySQL")], false, false) };
        Assert.Empty(Reconciler.Decide("nagios-a", Read(), covered, now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void An_acknowledgement_or_downtime_seen_only_in_nagios_is_applied()
    {
        var status = Read().Select(s => s.Host == "db01" && s.Service.Length == 0 ? s with { Acknowledged = true } : s).ToList();
        var live = new[] { new LiveView(("db01", ""), [("db01", "")], false, false) };
        var decision = Assert.Single(Reconciler.Decide("nagios-a", status, live, DateTimeOffset.FromUnixTimeSeconds(1795000400), TimeSpan.FromMinutes(5)));
        Assert.Equal(("acknowledged", NotificationType.Acknowledgement, Reconciler.Author), (decision.Kind, decision.Notification.Type, decision.Notification.Author));

        var inDowntime = Read().Select(s => s.Host == "db01" && s.Service.Length == 0 ? s with { InDowntime = true } : s).ToList();
        Assert.Equal("downtime", Assert.Single(Reconciler.Decide("nagios-a", inDowntime, live, DateTimeOffset.FromUnixTimeSeconds(1795000400), TimeSpan.FromMinutes(5))).Kind);
    }
}
