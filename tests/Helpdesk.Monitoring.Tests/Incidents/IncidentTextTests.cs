using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>What an agent reads: titles, the customer, and the description, line by line, with and without each part.</summary>
public sealed class IncidentTextTests
{
    [Fact]
    public void A_service_description_has_every_part_nagios_sent()
    {
        var n = Records.Service(NotificationType.Problem) with
        {
            HostAlias = "Web server 1",
            HostAddress = "10.0.0.7",
            HostState = AlertState.Up,
            LongServiceOutput = "line 2\nline 3",
            HostGroups = "web,dmz",
            ServiceGroups = "http-checks",
            ServiceProblemId = "4711",
            Vars = new Dictionary<string, string> { ["_SERVICECUSTOMER"] = "globex", ["_HOSTCUSTOMER"] = "acme" },
        };

        Assert.Equal(
            "Service 'HTTP' on host 'web01' is CRITICAL, reported by Nagios instance 'nagios-a' at 2026-11-18 11:06:40 UTC.\n"
            + "Host: web01 (Web server 1, 10.0.0.7)\n"
            + "Customer: globex\n"
            + "Host state: UP\n"
            + "Output: CRITICAL - connection refused\n"
            + "Details:\nline 2\nline 3\n"
            + "Host groups: web,dmz\n"
            + "Service groups: http-checks\n"
            + "Nagios problem id: 4711\n",
            IncidentText.Description(n));
        Assert.Equal("web01 / HTTP is CRITICAL", IncidentText.Title(n));
    }

    [Fact]
    public void A_host_description_leaves_out_what_nagios_did_not_send()
    {
        var n = Records.Host(NotificationType.Problem);
        Assert.Equal(
            "Host 'router01' is DOWN, reported by Nagios instance 'nagios-a' at 2026-11-18 11:06:40 UTC.\n"
            + "Output: PING CRITICAL - Packet loss = 100%\n",
            IncidentText.Description(n));
        Assert.Equal("router01 is DOWN", IncidentText.Title(n));
        Assert.Equal("", IncidentText.Customer(n));
    }

    [Fact]
    public void The_host_line_appears_with_an_alias_or_an_address_alone()
    {
        var host = Records.Host(NotificationType.Problem);
        Assert.Contains("\nHost: router01 (Core router)\n", IncidentText.Description(host with { HostAlias = "Core router" }), StringComparison.Ordinal);
        Assert.Contains("\nHost: router01 (192.0.2.1)\n", IncidentText.Description(host with { HostAddress = "192.0.2.1" }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_without_a_host_state_has_no_host_state_line_and_the_host_customer_is_used()
    {
        var n = Records.Service(NotificationType.Problem, customer: "acme") with { HostState = AlertState.None };
        var text = IncidentText.Description(n);
        Assert.DoesNotContain("Host state:", text, StringComparison.Ordinal);
        Assert.Contains("\nCustomer: acme\n", text, StringComparison.Ordinal);
        Assert.Equal("acme", IncidentText.Customer(n));
    }

    [Fact]
    public void A_flapping_start_is_titled_flapping()
    {
        Assert.Equal("web01 / HTTP is flapping", IncidentText.Title(Records.Service(NotificationType.FlappingStart)));
        Assert.Equal("router01 is flapping", IncidentText.Title(Records.Host(NotificationType.FlappingStart)));
    }

    [Theory]
    [InlineData("12", "7", "12")]
    [InlineData("0", "7", "7")]
    [InlineData("", "7", "7")]
    [InlineData("0", "0", "")]
    [InlineData("", "", "")]
    public void The_problem_id_is_the_current_one_unless_it_is_zero_then_the_last(string current, string last, string expected)
    {
        Assert.Equal(expected, IncidentText.ProblemId(current, last));
        Assert.Equal(expected, IncidentText.ProblemId(Records.Service(NotificationType.Recovery) with { ServiceProblemId = current, LastServiceProblemId = last, HostProblemId = "99" }));
        Assert.Equal(expected, IncidentText.ProblemId(Records.Host(NotificationType.Recovery) with { HostProblemId = current, LastHostProblemId = last, ServiceProblemId = "99" }));
    }
}
