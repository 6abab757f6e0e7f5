using System.Diagnostics;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>Runs a program to its end and returns its exit code and what it wrote.</summary>
public static class ExternalCommand
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> arguments,
        IDictionary<string, string?>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? Programs.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return await RunAsync(start, timeout);
    }

    /// <summary>A start prepared by the caller (its own environment, working directory); output is captured here.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start, TimeSpan? timeout = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in time");
        }

        // A program that ended may have left a child holding its output open (a daemon it started): the streams then
        // never end, so they are waited for a bounded time too, and such a child is named as the mistake it is.
        try
        {
            return (process.ExitCode, await stdout.WaitAsync(TimeSpan.FromSeconds(30)), await stderr.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} ended, but something it started still holds its output open");
        }
    }
}
