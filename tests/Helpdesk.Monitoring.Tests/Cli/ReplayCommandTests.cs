using System.Text;
using Helpdesk.Monitoring.Cli;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Cli;

public sealed class ReplayCommandTests
{
    private static string Lines(params Notification[] notifications) =>
        string.Join("\n", notifications.Select(n => Encoding.UTF8.GetString(Records.Bytes(n))));

    [Fact]
    public void Replays_in_nagios_time_and_prints_incidents_with_their_reasons()
    {
        var input = Lines(
            Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "OK", timeT: Records.T0 + 60),
            Records.Service(NotificationType.Problem, timeT: Records.T0),
            Records.Service(NotificationType.Problem, timeT: Records.T0),
            Records.Host(NotificationType.Problem, timeT: Records.T0 + 5)) + "\n{\"v\":1,\"type\":\"PROBLEM\"}\n";

        var output = ReplayCommand.Replay(Encoding.UTF8.GetBytes(input), new IncidentPolicy()).Output;

        Assert.Contains("4 notifications, 1 refused, 2 incidents", output, StringComparison.Ordinal);
        Assert.Contains("record 5: refused, missing_field", output, StringComparison.Ordinal);
        Assert.Contains("INC-000001 P2 resolved \"web01 / HTTP is CRITICAL\" customer=acme category=server team=helpdesk/L1 alerts=2", output, StringComparison.Ordinal);
        Assert.Contains("INC-000002 P2 open \"router01 is DOWN\"", output, StringComparison.Ordinal);
        Assert.Contains("resolved: Recovered (OK): OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_output_with_an_escape_sequence_is_printed_without_it()
    {
        // A dead letter replayed to see why: its output is the plugin's, and may carry anything.
        var input = Lines(Records.Service(NotificationType.Problem, output: "CRITICAL \u001b]0;pwned\u0007 \u001b[2J", timeT: Records.T0));

        var output = ReplayCommand.Replay(Encoding.UTF8.GetBytes(input), new IncidentPolicy()).Output;

        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        Assert.Contains("Opened from PROBLEM (CRITICAL): CRITICAL \uFFFD]0;pwned\uFFFD \uFFFD[2J", output, StringComparison.Ordinal);
        Assert.StartsWith("1 notification, 0 refused, 1 incident\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rules_change_shows_in_the_replay()
    {
        var input = Encoding.UTF8.GetBytes("[" + string.Join(",", new[] { Records.Service(NotificationType.Problem, customer: "acme") }
            .Select(n => Encoding.UTF8.GetString(Records.Bytes(n)))) + "]");
        var rules = RulesFile.Parse("""{ "version": 1, "priority": { "defaultImpact": "high" }, "routing": { "routes": [ { "match": { "customer": "acme" }, "team": "acme-ops", "tier": "L2" } ] } }""").Rules!;

        var output = ReplayCommand.Replay(input, new IncidentPolicy { Rules = rules }).Output;

        Assert.Contains("INC-000001 P1 open", output, StringComparison.Ordinal);
        Assert.Contains("team=acme-ops/L2", output, StringComparison.Ordinal);

        // The clocks the rules give: P1's 15 minutes and 4 hours on the built-in calendar, from Nagios' time.
        var opened = DateTimeOffset.FromUnixTimeSeconds(Records.T0);
        Assert.Contains($"    sla 24x7: response by {opened.AddMinutes(15):yyyy-MM-dd HH:mm:ss}, resolution by {opened.AddHours(4):yyyy-MM-dd HH:mm:ss}\n",
            output.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_event_says_which_channels_it_would_be_sent_to()
    {
        var input = Encoding.UTF8.GetBytes(Lines(
            Records.Service(NotificationType.Problem, timeT: Records.T0),
            Records.Service(NotificationType.Acknowledgement, author: "alice", comment: "on it", timeT: Records.T0 + 1),
            Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "OK", timeT: Records.T0 + 2)));
        var rules = RulesFile.Parse("""
            { "version": 1, "outbound": { "routes": [ { "events": ["opened", "resolved"], "channels": ["noc"] }, { "channels": ["ops"] } ], "default": [] } }
            """).Rules!;

        var named = ReplayCommand.Replay(input, new IncidentPolicy { Rules = rules }).Output;
        var given = ReplayCommand.Replay(input, new IncidentPolicy { Rules = rules }, ["ops"]).Output;

        Assert.Contains("opened: Opened from PROBLEM (CRITICAL): CRITICAL - connection refused  -> noc, ops", named, StringComparison.Ordinal);
        Assert.Contains("acknowledged: Acknowledged in Nagios by alice: on it  -> ops", named, StringComparison.Ordinal);
        Assert.Contains("resolved: Recovered (OK): OK  -> noc, ops", named, StringComparison.Ordinal);
        Assert.Contains("resolved: Recovered (OK): OK  -> ops", given, StringComparison.Ordinal);
        Assert.DoesNotContain("noc", given, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"v\":1,\"type\":\"PROBLEM\"}\nnot json at all\n", 1)]
    [InlineData("", 1)]
    public void A_replay_that_replays_nothing_exits_non_zero(string content, int expected)
    {
        var file = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(file, content);
        try
        {
            var root = new System.CommandLine.RootCommand { ReplayCommand.Create() };
            Assert.Equal(expected, root.Parse(["replay", file]).Invoke());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_replay_with_at_least_one_notification_exits_zero()
    {
        var file = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(file, Lines(Records.Service(NotificationType.Problem)) + "\nnot json\n");
        try
        {
            var root = new System.CommandLine.RootCommand { ReplayCommand.Create() };
            Assert.Equal(0, root.Parse(["replay", file]).Invoke());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
