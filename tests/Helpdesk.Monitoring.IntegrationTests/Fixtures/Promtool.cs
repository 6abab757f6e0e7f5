using System.Diagnostics;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>Prometheus' own checker for a /metrics page.</summary>
public static class Promtool
{
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("promtool is not installed: the test command installs Debian's 'prometheus' package", ex);
        }

        using (process)
        {
            await process.StandardInput.WriteAsync(exposition);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var exit = await ProcessExit.CodeAsync(process, TimeSpan.FromSeconds(60), () => "(promtool's output is read when it ends)");
            return (exit, await stdout + await stderr);
        }
    }
}
