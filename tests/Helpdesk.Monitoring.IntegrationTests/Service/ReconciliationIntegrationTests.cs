using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>
/// Reconciliation with a real Nagios 4: its notifications are lost (the notification command writes to a spool that
/// does not exist), and the helpdesk still opens the incident from Nagios' status.dat, resolves it when Nagios says the
/// host is up again, and converges: each decision once, with its evidence on the timeline and in /metrics.
/// </summary>
public sealed class ReconciliationIntegrationTests : IDisposable
{
    private const string Host = """
        define host {
            host_name               db01
            alias                   Database 01
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
        }

        define service {
            host_name               db01
            service_description     MySQL
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
    public async Task Lost_notifications_are_put_right_from_status_dat_once()
    {
        var nagiosDir = Directory.CreateDirectory(_dir.Combine("nagios")).FullName;
        await using var nagios = await NagiosProcess.StartAsync(nagiosDir, _dir.Combine("no-such-spool"), Host);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Nagios__StatusFiles__nagios-e2e"] = Path.Combine(nagiosDir, "status.dat"),
            ["Helpdesk__Nagios__ReconcileGrace"] = "00:00:02",
            ["Helpdesk__Nagios__ReconcileInterval"] = "00:00:01",
        });

        await nagios.HostResultAsync("db01", 1, "PING CRITICAL - Packet loss = 100%");
        var opened = await service.WaitForAsync("/api/v1/incidents/INC-000001", _ => true, TimeSpan.FromSeconds(60));
        Assert.Equal(("db01", "DOWN"), (opened.GetProperty("incident").GetProperty("host").GetString(), opened.GetProperty("incident").GetProperty("state").GetString()));
        Assert.Contains(opened.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("text").GetString()!.Contains("missed notification: Nagios' status.dat shows DOWN (hard)", StringComparison.Ordinal));

        await nagios.HostResultAsync("db01", 0, "PING OK - Packet loss = 0%");
        var resolved = await service.WaitForAsync("/api/v1/incidents/INC-000001",
            i => i.GetProperty("incident").GetProperty("status").GetString() is "resolved" or "closed", TimeSpan.FromSeconds(60));
        Assert.Contains(resolved.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("text").GetString()!.Contains("reconciled with Nagios' status.dat: UP since", StringComparison.Ordinal));

        // Several more rounds read the same status: nothing more is decided.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var all = await service.GetJsonAsync("/api/v1/incidents?status=open,acknowledged,resolved,closed");
        Assert.Equal(1, all.GetProperty("total").GetInt32());
        var timeline = (await service.GetJsonAsync("/api/v1/incidents/INC-000001")).GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()).ToList();
        Assert.Equal(1, timeline.Count(k => k == "opened"));
        Assert.Equal(1, timeline.Count(k => k == "resolved"));
        Assert.Equal(1, await service.MetricAsync("helpdesk_reconciliations_total{decision=\"missed_problem\"}"));
        Assert.Equal(1, await service.MetricAsync("helpdesk_reconciliations_total{decision=\"recovered\"}"));
    }
}
