using System.Text;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Notifications;

/// <summary>What `helpdesk notify` writes is read back as the same notification, every field, in a stable text.</summary>
public sealed class NotificationWriterTests
{
    private static readonly Notification Everything = Records.Service(NotificationType.Problem) with
    {
        HostAlias = "Database 1", HostAddress = "10.0.0.9", HostState = AlertState.Unreachable, HostStateType = "SOFT", HostOutput = "host out",
        LongHostOutput = "host\nlong", ServiceStateType = "HARD", ServiceAttempt = 3, LongServiceOutput = "svc\nlong", ServiceProblemId = "11",
        LastServiceProblemId = "10", HostProblemId = "21", LastHostProblemId = "20", NotificationNumber = 4, Author = "carol", Comment = "\"quoted\"",
        LongDateTime = "Sun Nov 29 10:00:00 UTC 2026", HostGroups = "db,prod", ServiceGroups = "sql",
        Vars = new Dictionary<string, string> { ["_SERVICECUSTOMER"] = "globex", ["_HOSTCUSTOMER"] = "acme", ["_SLA"] = "gold" },
    };

    [Fact]
    public void Every_field_survives_the_round_trip()
    {
        Assert.True(NotificationDecoder.TryDecode(NotificationWriter.ToUtf8(Everything), out var read, out var failure), failure.ToString());
        Assert.Equal(Everything, read);
    }

    [Fact]
    public void Empty_fields_are_left_out_and_the_attempt_only_when_known()
    {
        var host = Records.Host(NotificationType.Problem);
        var text = Encoding.UTF8.GetString(NotificationWriter.ToUtf8(host));
        Assert.DoesNotContain("\"service", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"vars\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hostAlias", text, StringComparison.Ordinal);
        Assert.Contains("\"notificationNumber\":0", text, StringComparison.Ordinal);
        Assert.True(NotificationDecoder.TryDecode(NotificationWriter.ToUtf8(host), out var read, out _));
        Assert.Equal(host, read);
    }

    [Fact]
    public void Custom_variables_are_written_in_name_order_whatever_order_they_were_given()
    {
        var reversed = Everything with { Vars = Everything.Vars.Reverse().ToDictionary() };
        var text = Encoding.UTF8.GetString(NotificationWriter.ToUtf8(reversed));
        Assert.Equal(NotificationWriter.ToUtf8(Everything), NotificationWriter.ToUtf8(reversed));
        Assert.Contains("\"vars\":{\"_HOSTCUSTOMER\":\"acme\",\"_SERVICECUSTOMER\":\"globex\",\"_SLA\":\"gold\"}", text, StringComparison.Ordinal);
    }
}
