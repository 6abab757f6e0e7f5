using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>The title an L1 agent reads first follows the cause's state and shows what else the incident holds.</summary>
public sealed class IncidentTitleTests
{
    [Fact]
    public void The_title_follows_the_state_and_keeps_the_failing_one_once_resolved()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Service(NotificationType.Problem, host: "fs01", service: "Disk", state: AlertState.Warning, timeT: Records.T0));
        Assert.Equal("fs01 / Disk is WARNING", d.Single().Title);
        d.Apply(Records.Service(NotificationType.Problem, host: "fs01", service: "Disk", state: AlertState.Critical, timeT: Records.T0 + 60));
        Assert.Equal("fs01 / Disk is CRITICAL", d.Single().Title);
        d.Apply(Records.Service(NotificationType.Recovery, host: "fs01", service: "Disk", state: AlertState.Ok, output: "DISK OK", timeT: Records.T0 + 120));
        Assert.Equal((IncidentStatus.Resolved, "fs01 / Disk is CRITICAL"), (d.Single().Status, d.Single().Title));
    }

    [Fact]
    public void A_host_incident_says_how_many_services_and_hosts_it_holds()
    {
        var d = new DeciderDriver();
        d.Apply(Records.Host(NotificationType.Problem, host: "db01", timeT: Records.T0));
        foreach (var service in new[] { "MySQL", "Disk", "SSH" })
        {
            d.Apply(Records.Service(NotificationType.Problem, host: "db01", service: service, timeT: Records.T0 + 5));
        }

        Assert.Equal("db01 is DOWN (+3 services)", Assert.Single(d.Incidents.Values).Title);

        // Without a topology, the hosts behind a router that went down.
        d.Apply(Records.Host(NotificationType.Problem, host: "rtr01", timeT: Records.T0 + 10, instance: "nagios-b"));
        d.Apply(Records.Host(NotificationType.Problem, host: "sw01", state: AlertState.Unreachable, timeT: Records.T0 + 12, instance: "nagios-b"));
        d.Apply(Records.Host(NotificationType.Problem, host: "sw02", state: AlertState.Unreachable, timeT: Records.T0 + 12, instance: "nagios-b"));
        Assert.Equal("rtr01 is DOWN: 2 hosts unreachable", d.Incidents.Values.Single(i => i.Host == "rtr01").Title);
    }
}
