using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Notifications;

/// <summary>Acknowledgement lines for Nagios' command file: text from people can never become a second command.</summary>
public sealed class NagiosCommandTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_795_838_400);

    [Fact]
    public void A_service_and_a_host_acknowledgement_are_the_commands_nagios_documents()
    {
        Assert.Equal("[1795838400] ACKNOWLEDGE_SVC_PROBLEM;web01;HTTP;2;1;0;alice;looking (INC-000001)",
            NagiosCommand.Acknowledge("web01", "HTTP", sticky: true, notify: true, persistent: false, "alice", "looking (INC-000001)", At));
        Assert.Equal("[1795838400] ACKNOWLEDGE_HOST_PROBLEM;router01;0;0;1;bob;on it",
            NagiosCommand.Acknowledge("router01", "", sticky: false, notify: false, persistent: true, "bob", "on it", At));
    }

    [Theory]
    [InlineData("x;1;1;1;evil;ACK", "x,1,1,1,evil,ACK")]
    [InlineData("fine\n[1795838400] SHUTDOWN_PROGRAM", "fine [1795838400] SHUTDOWN_PROGRAM")]
    [InlineData("tab\there\r\u0000\u007f", "tab here   ")]
    public void A_comment_that_tries_to_add_a_field_or_a_command_stays_one_field_of_one_line(string comment, string written)
    {
        var line = NagiosCommand.Acknowledge("web01", "HTTP", true, true, false, "mallory;x", comment, At)!;

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.Equal(8, line.Split(';').Length);
        Assert.EndsWith($";mallory,x;{written}", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web;01", "HTTP")]
    [InlineData("web01", "HTTP\nSHUTDOWN_PROGRAM")]
    [InlineData("", "HTTP")]
    public void An_object_name_that_cannot_be_written_safely_is_refused_not_cleaned(string host, string service) =>
        Assert.Null(NagiosCommand.Acknowledge(host, service, true, true, false, "alice", "ok", At));

    [Fact]
    public void A_long_comment_is_shortened_to_fit_one_atomic_pipe_write()
    {
        var line = NagiosCommand.Acknowledge("web01", "HTTP", true, true, false, "alice", new string('é', 5000), At)!;

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(line), 1, NagiosCommand.MaxLineBytes);
        Assert.StartsWith("[1795838400] ACKNOWLEDGE_SVC_PROBLEM;web01;HTTP;2;1;0;alice;éé", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_helpdesks_comment_names_the_incident()
    {
        Assert.Equal("looking (INC-000007)", NagiosCommand.AcknowledgementComment("looking", "INC-000007"));
        Assert.Equal("acknowledged in the helpdesk (INC-000007)", NagiosCommand.AcknowledgementComment("", "INC-000007"));
    }
}
