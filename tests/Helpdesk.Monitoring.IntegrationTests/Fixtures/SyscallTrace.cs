using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// Runs an action on a thread of its own with strace attached to that one thread, and returns the system calls it
/// made (file descriptors shown with their paths). This is how a test sees an fsync: nothing else in a running
/// process tells whether one happened.
/// </summary>
public static partial class SyscallTrace
{
    /// <summary>Why tracing cannot run here, or null when it can (strace is installed and this process may trace its own threads).</summary>
    public static string? Unavailable { get; } = Probe();

    public static IReadOnlyList<string> Of(Action action, params string[] syscalls)
    {
        var output = Path.Combine(Path.GetTempPath(), "helpdesk-strace-" + Guid.NewGuid().ToString("N") + ".txt");
        using var ready = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        var tid = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            tid = GetThreadId();
            ready.Set();
            go.Wait();
            try
            {
                action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        ready.Wait();

        using var strace = Process.Start(new ProcessStartInfo("strace", ["-p", tid.ToString(), "-y", "-e", "trace=" + string.Join(',', syscalls), "-o", output])
        {
            RedirectStandardError = true,
        })!;
        try
        {
            // strace says "Process N attached" once the thread is traced; only then may the action run.
            var attached = strace.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            Assert.True(attached?.Contains("attached", StringComparison.Ordinal) == true, $"strace did not attach: {attached}");
            go.Set();
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "the traced action did not finish in 60 s");
        }
        finally
        {
            go.Set();
            Interrupt(strace.Id);
            if (!strace.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                strace.Kill();
            }
        }

        if (failure is not null)
        {
            throw new InvalidOperationException("the traced action failed", failure);
        }

        var lines = File.ReadAllLines(output);
        File.Delete(output);
        return lines;
    }

    private static string? Probe()
    {
        if (!File.Exists("/usr/bin/strace"))
        {
            return "strace is not installed (the README's test command installs it)";
        }

        try
        {
            _ = Of(() => { }, "fsync");
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "this process may not trace its own threads (ptrace is refused here): " + ex.Message;
        }
    }

    // SIGINT makes strace detach and leave the traced thread running.
    private static void Interrupt(int pid) => _ = Kill(pid, 2);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}

/// <summary>A fact that needs strace to see the process's system calls; skipped, with the reason, where it cannot.</summary>
public sealed class SyscallFactAttribute : FactAttribute
{
    public SyscallFactAttribute()
    {
        if (SyscallTrace.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
