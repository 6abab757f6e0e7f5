using System.Diagnostics;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// Runs the real <c>helpdesk notify</c> (the native program a Nagios server runs) the way Nagios does: macros in
/// NAGIOS_* environment variables.
/// </summary>
public static class NotifyProcess
{
    public static async Task<(int ExitCode, string Stderr)> RunAsync(string spool, IDictionary<string, string> macros, params string[] extraArgs)
    {
        var start = new ProcessStartInfo(Programs.NativeCli) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("notify");
        start.ArgumentList.Add("--instance");
        start.ArgumentList.Add("nagios-test");
        start.ArgumentList.Add("--spool");
        start.ArgumentList.Add(spool);
        foreach (var arg in extraArgs)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in macros)
        {
            start.Environment["NAGIOS_" + name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stderr);
    }
}
