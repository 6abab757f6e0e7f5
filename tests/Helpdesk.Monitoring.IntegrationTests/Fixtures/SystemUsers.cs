using System.Diagnostics;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// Real system users for tests of what crosses users: a Nagios user and a service user sharing one group, as a
/// production install has them. Created once (useradd/groupadd need root) and left for the next run.
/// </summary>
public static class SystemUsers
{
    public const string Group = "hdtest-spool";
    public const string Nagios = "hdtest-nagios";
    public const string Service = "hdtest-service";

    private static readonly Lazy<bool> Created = new(() =>
    {
        Run("sh", "-c", $"getent group {Group} >/dev/null || groupadd --system {Group}");
        foreach (var user in new[] { Nagios, Service })
        {
            Run("sh", "-c", $"id -u {user} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin --gid {Group} {user}");
        }

        return true;
    });

    public static bool IsRoot => Environment.UserName == "root";

    public static void EnsureExist() => _ = Created.Value;

    /// <summary>A start that runs <paramref name="program"/> as <paramref name="user"/> of the shared group, under <paramref name="umask"/>.</summary>
    public static ProcessStartInfo As(string user, string umask, string program, params string[] args)
    {
        EnsureExist();
        return AsUser(user, umask, program, args);
    }

    /// <summary>
    /// A start that runs <paramref name="program"/> as any existing <paramref name="user"/>, with that user's primary
    /// and supplementary groups (as a login or systemd would give them), under <paramref name="umask"/>.
    /// </summary>
    public static ProcessStartInfo AsUser(string user, string umask, string program, params string[] args)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--reuid", user, "--regid", PrimaryGroupOf(user), "--init-groups", "--", "sh", "-c", $"umask {umask} && exec \"$0\" \"$@\"", program })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static string PrimaryGroupOf(string user)
    {
        using var id = Process.Start(new ProcessStartInfo("id", ["-gn", user]) { RedirectStandardOutput = true })!;
        var group = id.StandardOutput.ReadToEnd().Trim();
        id.WaitForExit();
        return id.ExitCode == 0 ? group : throw new InvalidOperationException($"there is no user {user}");
    }

    /// <summary>Hands <paramref name="path"/> to <paramref name="owner"/> and the shared group with <paramref name="mode"/>.</summary>
    public static void Own(string path, string owner, UnixFileMode mode)
    {
        EnsureExist();
        Run("chown", $"{owner}:{Group}", path);
        File.SetUnixFileMode(path, mode);
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}");
        }
    }
}

/// <summary>A test that needs root (to create users and switch to them): skipped, saying so, for anyone else.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!SystemUsers.IsRoot)
        {
            Skip = "needs root to create the Nagios and service users and run each as its own user; run the suite as root (CI does)";
        }
    }
}
