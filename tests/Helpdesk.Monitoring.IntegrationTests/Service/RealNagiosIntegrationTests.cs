using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>
/// A real Nagios 4 whose contacts notify through <c>helpdesk notify</c>, feeding the real service through the spool:
/// one incident per problem whatever the contacts, acknowledge, resolve, host down with parents and children read from
/// the objects.cache Nagios writes, downtime and flapping.
/// </summary>
public sealed class RealNagiosIntegrationTests : IDisposable
{
    /// <summary>The passively checked HTTP service on web01, in both configurations.</summary>
    private const string HttpService = """
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

    private const string Objects = HttpService + """
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

        """;

    private const string Network = HttpService + """
        define host {
            name                    network-host
            register                0
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
        define host {
            use                     network-host
            host_name               core01
            address                 10.0.0.1
        }
        define host {
            use                     network-host
            host_name               switch01
            address                 10.0.1.1
            parents                 core01
        }
        define host {
            use                     network-host
            host_name               web01
            address                 10.0.1.10
            parents                 switch01
        }

        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Spool => _dir.Combine("spool");

    private string NagiosDirectory => _dir.Combine("nagios");

    /// <summary>The real service, reading the spool every 20 ms (Nagios notifications should not wait on polling).</summary>
    /// <summary>web01/HTTP goes CRITICAL (INC-000001), then bob schedules ten minutes of downtime: the incident in maintenance.</summary>
    private static async Task<JsonElement> FailingWebInDowntimeAsync(ServiceProcess service, NagiosProcess nagios)
    {
        await nagios.ServiceResultAsync("web01", "HTTP", 2, "CRITICAL - down");
        await service.WaitForAsync("/api/v1/incidents/INC-000001", _ => true, TimeSpan.FromSeconds(60));
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await nagios.CommandAsync($"SCHEDULE_SVC_DOWNTIME;web01;HTTP;{start};{start + 600};1;0;600;bob;disk swap");
        return await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => i.GetProperty("incident").GetProperty("inMaintenance").GetBoolean(), TimeSpan.FromSeconds(60));
    }

    private Task<ServiceProcess> StartServiceAsync(Dictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(settings ?? []) { ["Helpdesk__Spool__PollInterval"] = "00:00:00.020" };
        return ServiceProcess.StartAsync(_dir.Path, all);
    }

    private Task<NagiosProcess> StartNagiosAsync(string objects, int contacts = 1)
    {
        Directory.CreateDirectory(NagiosDirectory);
        return NagiosProcess.StartAsync(NagiosDirectory, Spool, objects, contacts);
    }

    [Fact]
    public async Task An_acknowledgement_in_the_helpdesk_is_written_to_nagios_and_the_acknowledgement_nagios_sends_back_adds_nothing()
    {
        const string agentKey = "agent-key-5e1d";
        await using var nagios = await StartNagiosAsync(Objects);
        await using var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["HELPDESK_AGENT_KEY"] = agentKey,
            ["Helpdesk__Nagios__CommandFiles__nagios-e2e"] = Path.Combine(NagiosDirectory, "nagios.cmd"),
        });
        await nagios.ServiceResultAsync("web01", "HTTP", 2, "CRITICAL - down");
        await service.WaitForAsync("/api/v1/incidents/INC-000001", _ => true, TimeSpan.FromSeconds(60));

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents/INC-000001/acknowledge")
        {
            Content = new StringContent("""{"by":"carol","comment":"looking; rebooting"}""", System.Text.Encoding.UTF8, "application/json"),
        })
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", agentKey);
            using var acknowledged = await service.Http.SendAsync(request);
            Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
        }

        // Nagios took the command: its status shows the service acknowledged, by carol, with the incident's number.
        var status = Path.Combine(NagiosDirectory, "status.dat");
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!ServiceStatus(status, "web01", "HTTP").Contains("problem_has_been_acknowledged=1", StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(45),
                $"Nagios never showed the acknowledgement\n{(File.Exists(status) ? File.ReadAllText(status) : "(no status.dat)")}\n{nagios.Log}\n{service.Output}");
            await Task.Delay(200);
        }

        Assert.Contains("ACKNOWLEDGE_SVC_PROBLEM;web01;HTTP;2;1;0;carol;looking, rebooting (INC-000001)", nagios.Log, StringComparison.Ordinal);

        // Nagios notified its contacts of the acknowledgement (through helpdesk notify, back to the service): the
        // service applied it and recognised its own, so the timeline still has one acknowledgement.
        await service.WaitForMetricAsync("helpdesk_notifications_ingested_total{type=\"ACKNOWLEDGEMENT\"}", v => v >= 1, TimeSpan.FromSeconds(60));
        var detail = await service.GetJsonAsync("/api/v1/incidents/INC-000001");
        var timeline = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(1, timeline.Count(k => k == "acknowledged"));
        Assert.Equal("carol", detail.GetProperty("incident").GetProperty("acknowledgedBy").GetString());
        Assert.Equal(1, await service.MetricAsync("helpdesk_outbound_sent_total{channel=\"nagios\",event=\"acknowledged\"}"));
    }

    /// <summary>The servicestatus block of one service in Nagios' status.dat; empty until Nagios wrote it.</summary>
    private static string ServiceStatus(string statusFile, string host, string service)
    {
        if (!File.Exists(statusFile))
        {
            return "";
        }

        var text = File.ReadAllText(statusFile);
        foreach (var block in text.Split("servicestatus {").Skip(1))
        {
            var body = block[..block.IndexOf('}', StringComparison.Ordinal)];
            if (body.Contains($"host_name={host}\n", StringComparison.Ordinal) && body.Contains($"service_description={service}\n", StringComparison.Ordinal))
            {
                return body;
            }
        }

        return "";
    }

    [Fact]
    public async Task A_critical_service_notified_to_three_contacts_is_one_incident_that_is_acknowledged_and_resolved()
    {
        var spool = Spool;
        await using var service = await StartServiceAsync();
        await using var nagios = await StartNagiosAsync(Objects, contacts: 3);

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
        await using var service = await StartServiceAsync();
        await using var nagios = await StartNagiosAsync(Objects);

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
        await using var service = await StartServiceAsync();
        await using var nagios = await StartNagiosAsync(Objects);

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
        await using var service = await StartServiceAsync();
        await using var nagios = await StartNagiosAsync(Objects);

        var held = await FailingWebInDowntimeAsync(service, nagios);
        Assert.Contains(held.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString()!.StartsWith("Maintenance started by bob", StringComparison.Ordinal));
        Assert.Contains(held.GetProperty("events").EnumerateArray(), e => e.GetProperty("event").GetString() == "maintenance_started");

        await nagios.CommandAsync("DEL_DOWNTIME_BY_HOST_NAME;web01");
        await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => !i.GetProperty("incident").GetProperty("inMaintenance").GetBoolean(), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_core_router_down_is_one_incident_holding_its_unreachable_children_and_their_services()
    {
        await using var service = await StartServiceAsync(new Dictionary<string, string>
        {
            ["Helpdesk__Topology__ObjectsCachePath"] = Path.Combine(NagiosDirectory, "objects.cache"),
            ["Helpdesk__Topology__ReloadInterval"] = "00:00:01",
        });
        await using var nagios = await StartNagiosAsync(Network, contacts: 2);

        // The service reads the parents from the objects.cache Nagios wrote at start.
        await service.WaitForMetricAsync("helpdesk_topology_hosts", v => v >= 2, TimeSpan.FromSeconds(30));

        // The web server's service fails first; then the core router goes down and Nagios finds the rest unreachable.
        await nagios.ServiceResultAsync("web01", "HTTP", 2, "CRITICAL - Socket timeout after 10 seconds");
        await service.WaitForAsync("/api/v1/incidents/INC-000001", _ => true, TimeSpan.FromSeconds(60));
        await nagios.HostResultAsync("core01", 1, "PING CRITICAL - Packet loss = 100%");
        await service.WaitForAsync("/api/v1/incidents?status=open", p => p.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("host").GetString() == "core01"),
            TimeSpan.FromSeconds(60));
        await nagios.HostResultAsync("switch01", 1, "PING CRITICAL - Packet loss = 100%");
        await nagios.HostResultAsync("web01", 1, "PING CRITICAL - Packet loss = 100%");

        System.Text.Json.JsonElement core = default;
        await service.EventuallyAsync(async () =>
        {
            var open = await service.GetJsonAsync("/api/v1/incidents?status=open");
            if (open.GetProperty("total").GetInt64() != 1)
            {
                return false;
            }

            core = open.GetProperty("items")[0];
            var detail = await service.GetJsonAsync($"/api/v1/incidents/{core.GetProperty("number").GetString()}");
            return detail.GetProperty("members").GetArrayLength() == 3;
        }, TimeSpan.FromSeconds(60), "one open incident holding three alerts");
        Assert.Equal("core01", core.GetProperty("host").GetString());
        var detail = await service.GetJsonAsync($"/api/v1/incidents/{core.GetProperty("number").GetString()}");
        var members = detail.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("host").GetString() + "/" + m.GetProperty("service").GetString());
        Assert.Equal("UNREACHABLE", members["switch01/"].GetProperty("state").GetString());
        Assert.Equal("parent-down", members["switch01/"].GetProperty("rule").GetString());
        Assert.Equal(("parent-down", "switch01"), (members["web01/"].GetProperty("rule").GetString(), members["web01/"].GetProperty("key").GetString()));
        Assert.Equal("host-down", members["web01/HTTP"].GetProperty("rule").GetString());
        // The service's own incident was merged into the router's, directly or through web01's (when Nagios reported
        // web01 before switch01, web01 first held its service, then was merged itself).
        var number = "INC-000001";
        for (var hops = 0; hops < 3 && number != core.GetProperty("number").GetString(); hops++)
        {
            var merged = await service.GetJsonAsync($"/api/v1/incidents/{number}");
            Assert.Equal("closed", merged.GetProperty("incident").GetProperty("status").GetString());
            number = merged.GetProperty("incident").GetProperty("mergedInto").GetString()!;
        }

        Assert.Equal(core.GetProperty("number").GetString(), number);
        Assert.True(nagios.NotificationsLogged("UNREACHABLE") > 0, "Nagios reported no UNREACHABLE host:\n" + nagios.Log);
    }

    [Fact]
    public async Task A_recovery_during_downtime_is_accepted_when_the_downtime_ends()
    {
        // L1 gets three seconds here, so an escalation the downtime failed to hold back would show.
        var rules = _dir.Combine("rules.json");
        await File.WriteAllTextAsync(rules, """{ "version": 1, "sla": { "l1Window": "3s" } }""");
        await using var service = await StartServiceAsync(new Dictionary<string, string> { ["Helpdesk__RulesPath"] = rules });
        await using var nagios = await StartNagiosAsync(Objects);

        await FailingWebInDowntimeAsync(service, nagios);

        // A control incident outside any downtime, opened later: once it has escalated, the window has passed for both.
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "control01", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await service.WaitForAsync("/api/v1/incidents/INC-000002", i => i.GetProperty("incident").GetProperty("sla").GetProperty("escalations").GetInt32() > 0, TimeSpan.FromSeconds(30));

        // Nagios pages nobody in downtime: the recovery itself is not notified; the end of the downtime says it.
        await nagios.ServiceResultAsync("web01", "HTTP", 0, "HTTP OK");
        await nagios.CommandAsync("DEL_DOWNTIME_BY_HOST_NAME;web01");
        var resolved = await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => i.GetProperty("incident").GetProperty("status").GetString() == "resolved", TimeSpan.FromSeconds(60));
        Assert.Contains(resolved.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString()!.StartsWith("Recovered during maintenance (OK)", StringComparison.Ordinal));
        Assert.Equal(0, resolved.GetProperty("incident").GetProperty("sla").GetProperty("escalations").GetInt32());
    }
}
