using System.Diagnostics;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>The check plugin (nagios-plugins/check_helpdesk → helpdesk check) against the real service.</summary>
public sealed class CheckPluginIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reports_ok_for_a_ready_service_and_critical_when_it_is_gone()
    {
        int port;
        await using (var service = await ServiceProcess.StartAsync(_dir.Path))
        {
            port = service.Port;
            var (code, output) = await Check("-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(0, code);
            Assert.Matches(@"^HELPDESK OK - ready, spool backlog 0, 0 active incidents, 0 dead-lettered, no Nagios topology loaded \(Helpdesk:Topology:ObjectsCachePath\), outages correlated by time, not by parents \| backlog=0;1000;10000;0; active=0;;;0; dead_letters=0c set_aside=0;0;;0; given_up=0;0;;0;\n$", output);

            (code, output) = await Check("-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", "@0:10", "-c", "@0:5");
            Assert.Equal(2, code);
            Assert.StartsWith("HELPDESK CRITICAL - ready", output, StringComparison.Ordinal);
        }

        var (gone, line) = await Check("-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "2");
        Assert.Equal(2, gone);
        Assert.StartsWith("HELPDESK CRITICAL - cannot read", line, StringComparison.Ordinal);

        var (bad, usage) = await Check("-w", "nonsense");
        Assert.Equal(3, bad);
        Assert.StartsWith("HELPDESK UNKNOWN", usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-t", "abc")]
    [InlineData("-t", "0")]
    [InlineData("-p", "70000")]
    [InlineData("--no-such-option")]
    [InlineData("-V")]
    public async Task Usage_errors_and_the_version_answer_unknown_in_one_line(params string[] args)
    {
        var (code, output) = await Check(args);
        Assert.Equal(3, code);
        Assert.Matches(args[0] == "-V" ? @"^check_helpdesk \(helpdesk\) \d+\.\d+\.\d+\n$" : @"^HELPDESK UNKNOWN - [^\n]+\n$", output);
    }

    [Fact]
    public async Task Without_the_helpdesk_command_the_plugin_answers_unknown_with_the_reason()
    {
        var (code, output) = await CheckWith(Path.Combine(_dir.Path, "not-installed", "helpdesk"), "-p", "1");
        Assert.Equal(3, code);
        Assert.Matches(@"^HELPDESK UNKNOWN - the helpdesk command is not installed at .*not-installed/helpdesk", output);
    }

    [Fact]
    public async Task Inputs_notify_refused_and_entries_set_aside_are_reported_as_a_warning()
    {
        var spool = _dir.Combine("spool");
        var (refused, _) = await NotifyProcess.RunAsync(spool, new Dictionary<string, string> { ["NOTIFICATIONTYPE"] = "NONSENSE", ["HOSTNAME"] = "web01" });
        Assert.Equal(1, refused);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Spool__Path"] = spool });
        var port = service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, output) = await Check("-p", port);
        Assert.Equal(1, code);
        Assert.Contains("1 input set aside in the spool's rejected/ and quarantine/ folders", output, StringComparison.Ordinal);
        Assert.Contains("set_aside=1;0;;0;", output, StringComparison.Ordinal);
        Assert.Equal(0, (await Check("-p", port, "-r", "5")).Item1);
    }

    [Fact]
    public async Task Deliveries_the_service_gave_up_are_reported_as_a_warning()
    {
        // A receiver that calls the message wrong (400) makes its delivery dead at once: the on-call channel was not told.
        await using var receiver = new WebhookReceiver();
        receiver.FailNext(1, status: 400);
        var spool = _dir.Combine("spool");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Spool__Path"] = spool,
            ["Helpdesk__Outbound__Webhooks__ops__Url"] = receiver.Url,
            ["Helpdesk__Outbound__Webhooks__ops__Secret"] = WebhookReceiver.Secret,
        });
        var port = service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, (await Check("-p", port)).Item1);

        var (spooled, _) = await NotifyProcess.RunAsync(spool, new Dictionary<string, string>
        {
            ["NOTIFICATIONTYPE"] = "PROBLEM", ["HOSTNAME"] = "web01", ["HOSTSTATE"] = "DOWN", ["HOSTOUTPUT"] = "PING CRITICAL",
        });
        Assert.Equal(0, spooled);
        var (code, output) = (0, "");
        for (var i = 0; i < 200 && code == 0; i++)
        {
            await Task.Delay(50);
            (code, output) = await Check("-p", port);
        }

        Assert.Equal(1, code);
        Assert.Contains("1 outbound delivery given up ('helpdesk deliveries list' shows why; requeue them once the receiver is mended)", output, StringComparison.Ordinal);
        Assert.Contains("given_up=1;0;;0;", output, StringComparison.Ordinal);
        Assert.Equal(0, (await Check("-p", port, "-g", "5")).Item1);
    }

    /// <summary>check_helpdesk as Nagios runs it; its exit code and output.</summary>
    internal static Task<(int, string)> Check(params string[] args) => CheckWith(Programs.NativeCli, args);

    private static async Task<(int, string)> CheckWith(string cli, params string[] args)
    {
        // Through the shell wrapper Nagios admins install, with the native program it calls.
        var wrapper = Path.Combine(Programs.Root, "nagios-plugins", "check_helpdesk");
        var start = new ProcessStartInfo(wrapper) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["HELPDESK_CLI"] = cli;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var (exit, output, _) = await ExternalCommand.RunAsync(start, TimeSpan.FromSeconds(60));
        return (exit, output);
    }
}
