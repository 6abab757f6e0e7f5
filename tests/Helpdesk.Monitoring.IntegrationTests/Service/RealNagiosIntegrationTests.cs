using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>
/// A real Nagios 4 whose contacts notify through <c>helpdesk notify</c>, feeding the real service through the spool.
/// What this version of the core decides (one incident per identity, copies counted, acknowledge, resolve); the
/// correlation scenarios (parents, downtime, flapping) come with the policy work.
/// </summary>
public sealed class RealNagiosIntegrationTests : IDisposable
{
    private const string Objects = """
        define host {
            host_name               web01
            alias                   Web server 01
            address                 127.0.0.1
            check_command           check-dummy
            active_checks_enabled   0
            passive_checks_enabled  1
            max_check_attempts      1
            check_period            24x7
            notification_interval   0
            notification_period     24x7
            notification_options    d,u,r,f,s
            first_notification_delay 0
            contact_groups          helpdesk
            _CUSTOMER               acme
        }
        define service {
            host_name               web01
            service_description     HTTP
            check_command           check-dummy
            active_checks_enabled   0
            passive_checks_enabled  1
            max_check_attempts      1
            check_interval          60
            retry_interval          60
            check_period            24x7
            notification_interval   0
            notification_period     24x7
            notification_options    w,u,c,r,f,s
            first_notification_delay 0
            contact_groups          helpdesk
        }

        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_critical_service_notified_to_three_contacts_is_one_incident_that_is_acknowledged_and_resolved()
    {
        var spool = _dir.Combine("spool");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Spool__PollInterval"] = "00:00:00.020" });
        Directory.CreateDirectory(_dir.Combine("nagios"));
        await using var nagios = await NagiosProcess.StartAsync(_dir.Combine("nagios"), spool, Objects, contacts: 3);

        await nagios.ServiceResultAsync("web01", "HTTP", 2, "CRITICAL - Socket timeout after 10 seconds | time=10.0s");
        var incident = await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => i.GetProperty("incident").GetProperty("alertCount").GetInt64() == 3, TimeSpan.FromSeconds(60));
        var json = incident.GetProperty("incident");
        Assert.Equal("web01 / HTTP is CRITICAL", json.GetProperty("title").GetString());
        Assert.Equal("acme", json.GetProperty("customer").GetString());
        Assert.Equal("nagios-e2e", json.GetProperty("instance").GetString());
        Assert.Equal("CRITICAL - Socket timeout after 10 seconds", json.GetProperty("lastOutput").GetString());
        Assert.NotEqual("", json.GetProperty("problemId").GetString());

        // Nagios' own comment syntax: ';' ends a field, so the comment is "on it, calling the ISP".
        await nagios.CommandAsync("ACKNOWLEDGE_SVC_PROBLEM;web01;HTTP;1;1;0;alice;on it, calling the ISP");
        await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => i.GetProperty("incident").GetProperty("status").GetString() == "acknowledged", TimeSpan.FromSeconds(60));

        await nagios.ServiceResultAsync("web01", "HTTP", 0, "HTTP OK: 200 in 0.01 s");
        var resolved = await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => i.GetProperty("incident").GetProperty("status").GetString() == "resolved", TimeSpan.FromSeconds(60));
        Assert.Equal("alice", resolved.GetProperty("incident").GetProperty("acknowledgedBy").GetString());
        Assert.Equal("on it, calling the ISP", resolved.GetProperty("incident").GetProperty("acknowledgementComment").GetString());

        // Every copy of every notification was spooled and applied: nothing refused, nothing left behind.
        Assert.Empty(Directory.GetFiles(Path.Combine(spool, "rejected"), "*.json"));
        var list = await service.GetJsonAsync("/api/v1/incidents");
        Assert.Equal(1, list.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_host_down_and_up_is_a_host_incident_opened_and_resolved()
    {
        var spool = _dir.Combine("spool");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Spool__PollInterval"] = "00:00:00.020" });
        Directory.CreateDirectory(_dir.Combine("nagios"));
        await using var nagios = await NagiosProcess.StartAsync(_dir.Combine("nagios"), spool, Objects);

        await nagios.HostResultAsync("web01", 1, "PING CRITICAL - Packet loss = 100%");
        var opened = await service.WaitForAsync("/api/v1/incidents/INC-000001", _ => true, TimeSpan.FromSeconds(60));
        Assert.Equal("web01 is DOWN", opened.GetProperty("incident").GetProperty("title").GetString());
        Assert.Equal("", opened.GetProperty("incident").GetProperty("service").GetString());
        Assert.Equal("P2", opened.GetProperty("incident").GetProperty("priority").GetString());

        await nagios.HostResultAsync("web01", 0, "PING OK - Packet loss = 0%");
        await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => i.GetProperty("incident").GetProperty("status").GetString() == "resolved", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_flapping_service_is_one_incident_held_open_as_flapping()
    {
        var spool = _dir.Combine("spool");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Spool__PollInterval"] = "00:00:00.020" });
        Directory.CreateDirectory(_dir.Combine("nagios"));
        await using var nagios = await NagiosProcess.StartAsync(_dir.Combine("nagios"), spool, Objects);

        // Alternate hard states until Nagios' flap detection (thresholds 5 % / 20 %) says FLAPPINGSTART.
        for (var i = 0; i < 30 && nagios.NotificationsLogged("FLAPPINGSTART") == 0; i++)
        {
            await nagios.ServiceResultAsync("web01", "HTTP", i % 2 == 0 ? 2 : 0, i % 2 == 0 ? "CRITICAL - down" : "OK - up");
            await Task.Delay(150);
        }

        Assert.True(nagios.NotificationsLogged("FLAPPINGSTART") > 0, "Nagios never detected flapping:\n" + nagios.Log);
        var page = await service.WaitForAsync("/api/v1/incidents", p => p.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("flapping").GetBoolean()),
            TimeSpan.FromSeconds(60));
        var flapping = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("flapping").GetBoolean());
        Assert.Equal("open", flapping.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Scheduled_downtime_puts_the_incident_in_maintenance_and_its_end_takes_it_out()
    {
        var spool = _dir.Combine("spool");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Spool__PollInterval"] = "00:00:00.020" });
        Directory.CreateDirectory(_dir.Combine("nagios"));
        await using var nagios = await NagiosProcess.StartAsync(_dir.Combine("nagios"), spool, Objects);

        await nagios.ServiceResultAsync("web01", "HTTP", 2, "CRITICAL - down");
        await service.WaitForAsync("/api/v1/incidents/INC-000001", _ => true, TimeSpan.FromSeconds(60));

        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await nagios.CommandAsync($"SCHEDULE_SVC_DOWNTIME;web01;HTTP;{start};{start + 600};1;0;600;bob;disk swap");
        var held = await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => i.GetProperty("incident").GetProperty("inMaintenance").GetBoolean(), TimeSpan.FromSeconds(60));
        Assert.Contains(held.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString()!.StartsWith("Maintenance started by bob", StringComparison.Ordinal));

        await nagios.CommandAsync("DEL_DOWNTIME_BY_HOST_NAME;web01");
        await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => !i.GetProperty("incident").GetProperty("inMaintenance").GetBoolean(), TimeSpan.FromSeconds(60));
    }
}
