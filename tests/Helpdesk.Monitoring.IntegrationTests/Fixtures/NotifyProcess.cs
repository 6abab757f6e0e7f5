using System.Diagnostics;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// Runs the real <c>helpdesk notify</c> (the native program a Nagios server runs) the way Nagios does: macros in
/// NAGIOS_* environment variables.
/// </summary>
public static class NotifyProcess
{
    public static Task<(int ExitCode, string Stderr)> RunAsync(string spool, IDictionary<string, string> macros, params string[] extraArgs) =>
        RunAsync(new ProcessStartInfo(Programs.NativeCli) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false }, spool, macros, extraArgs);

    /// <summary>As the Nagios user of <see cref="SystemUsers"/>, under <paramref name="umask"/>.</summary>
    public static Task<(int ExitCode, string Stderr)> RunAsNagiosAsync(string umask, string spool, IDictionary<string, string> macros) =>
        RunAsync(SystemUsers.As(SystemUsers.Nagios, umask, Programs.NativeCli), spool, macros);

    private static async Task<(int ExitCode, string Stderr)> RunAsync(ProcessStartInfo start, string spool, IDictionary<string, string> macros, params string[] extraArgs)
    {
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

        var (exit, _, stderr) = await ExternalCommand.RunAsync(start, TimeSpan.FromSeconds(60));
        return (exit, stderr);
    }
}
