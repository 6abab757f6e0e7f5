using System.Diagnostics;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>Waiting for a child process to end by itself; one still running at the deadline fails with what it said.</summary>
internal static class ProcessExit
{
    public static async Task<int> CodeAsync(Process process, TimeSpan timeout, Func<string> output)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the process was still running after {timeout.TotalSeconds:0} s; its output:\n{output()}");
        }

        return process.ExitCode;
    }
}
