using System.Collections;
using Helpdesk.Monitoring.Cli;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Cli;

public sealed class NotificationAssemblerTests
{
    private static NotificationInput Env(params (string Name, string Value)[] vars)
    {
        var env = new Hashtable { ["PATH"] = "/usr/bin", ["SECRET_TOKEN"] = "nope" };
        foreach (var (name, value) in vars)
        {
            env["NAGIOS_" + name] = value;
        }

        return NotificationInput.FromEnvironment(env);
    }

    [Fact]
    public void Reads_a_service_problem_from_nagios_environment_macros_unaltered()
    {
        var input = Env(("NOTIFICATIONTYPE", "PROBLEM"), ("HOSTNAME", "web01"), ("SERVICEDESC", "HTTP"), ("SERVICESTATE", "CRITICAL"),
            ("HOSTSTATE", "UP"), ("SERVICEOUTPUT", "CRITICAL - 'x' \"y\" `z` $HOME | a=1"), ("TIMET", "1795000000"),
            ("SERVICEPROBLEMID", "77"), ("_HOSTCUSTOMER", "acme"), ("_CONTACTPAGER", "555"), ("NOTIFICATIONNUMBER", "1"),
            ("SERVICENOTESURL", "https://wiki.example.com/runbooks/http"), ("HOSTACTIONURL", "https://grafana.example.com/d/web01"));
        var (n, error) = NotificationAssembler.Assemble(input, "nagios-a", Guid.CreateVersion7(), 1);

        Assert.Null(error);
        Assert.Equal(NotificationType.Problem, n!.Type);
        Assert.Equal("CRITICAL - 'x' \"y\" `z` $HOME | a=1", n.ServiceOutput);
        Assert.Equal(1795000000, n.TimeT);
        Assert.Equal("77", n.ServiceProblemId);
        Assert.Equal(("https://wiki.example.com/runbooks/http", "https://grafana.example.com/d/web01"), (n.ServiceNotesUrl, n.HostActionUrl));
        Assert.Equal("acme", n.Vars["_HOSTCUSTOMER"]);
        Assert.False(n.Vars.ContainsKey("_CONTACTPAGER"));
        Assert.True(NotificationParser.TryParse(NotificationWriter.ToUtf8(n), out _, out _));
    }

    [Fact]
    public void A_host_notification_has_no_service_fields()
    {
        var input = Env(("NOTIFICATIONTYPE", "RECOVERY"), ("HOSTNAME", "router01"), ("HOSTSTATE", "UP"), ("SERVICEDESC", ""), ("SERVICESTATE", ""));
        var (n, error) = NotificationAssembler.Assemble(input, "nagios-a", Guid.CreateVersion7(), 1795000000);
        Assert.Null(error);
        Assert.False(n!.IsServiceNotification);
        Assert.Equal(1795000000, n.TimeT);
    }

    [Theory]
    [InlineData("", "web01", "NOTIFICATIONTYPE is missing")]
    [InlineData("PANIC", "web01", "'PANIC' is not a Nagios notification type")]
    [InlineData("PROBLEM", "", "HOSTNAME is missing")]
    public void Says_which_macro_is_wrong(string type, string host, string expected)
    {
        var input = Env(("NOTIFICATIONTYPE", type), ("HOSTNAME", host), ("HOSTSTATE", "DOWN"));
        var (n, error) = NotificationAssembler.Assemble(input, "nagios-a", Guid.CreateVersion7(), 1);
        Assert.Null(n);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_non_numeric_timet()
    {
        var input = Env(("NOTIFICATIONTYPE", "PROBLEM"), ("HOSTNAME", "h"), ("HOSTSTATE", "DOWN"), ("TIMET", "yesterday"));
        Assert.NotNull(NotificationAssembler.Assemble(input, "nagios-a", Guid.CreateVersion7(), 1).Error);
    }
}
