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
            Assert.Matches(@"^HELPDESK OK - ready, spool backlog 0, 0 active incidents, 0 dead-lettered \| backlog=0;1000;10000;0; active=0;;;0; dead_letters=0c\n$", output);

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

    private static async Task<(int, string)> Check(params string[] args)
    {
        // Through the shell wrapper Nagios admins install, with the built program on PATH as it would be.
        var wrapper = Path.Combine(Programs.Root, "nagios-plugins", "check_helpdesk");
        var start = new ProcessStartInfo(wrapper) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["HELPDESK_CLI"] = "dotnet " + Programs.Cli;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
