using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>
/// <c>helpdesk incidents</c> against a running service, as an on-call agent uses it: the token from the environment,
/// tables for people and JSON for scripts, exit codes that tell a refusal (1) from a wrong command line (2) and an
/// unreachable service (3), and shell completion from the command itself.
/// </summary>
public sealed class IncidentsCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_agent_works_an_incident_from_the_command_line()
    {
        var users = _dir.Combine("users.json");
        var token = await UsersCli.AddAsync(users, "dave", "agent");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Api__UsersPath"] = users });
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", customer: "acme", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var env = new Dictionary<string, string?>
        {
            ["HELPDESK_URL"] = $"http://127.0.0.1:{service.Port}",
            ["HELPDESK_TOKEN"] = token,
            ["XDG_CONFIG_HOME"] = _dir.Combine("no-config"),
        };

        var list = await RunAsync(env, "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"INC-000001 P2  open\s+L1 .*response in .*db01/MySQL\s+db01 / MySQL is CRITICAL", list.Stdout);
        Assert.EndsWith("1 incident", list.Stdout.TrimEnd(), StringComparison.Ordinal);

        Assert.Equal((0, "INC-000001: acknowledged (P2 acknowledged, assigned to -)"), Out(await RunAsync(env, "ack", "1", "-m", "on it")));
        Assert.Equal((0, "INC-000001: already so, nothing changed (P2 acknowledged, assigned to -)"), Out(await RunAsync(env, "ack", "1")));
        Assert.Equal(0, (await RunAsync(env, "assign", "INC-000001", "dave")).ExitCode);
        Assert.Equal(0, (await RunAsync(env, "note", "1", "replication restarted", "--customer")).ExitCode);
        var refused = await RunAsync(env, "priority", "1", "P1", "--reason", "urgent");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("lead or admin", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync(env, "resolve", "1", "--cause", "the replica fell behind", "--fix", "restarted replication")).ExitCode);
        Assert.Equal(0, (await RunAsync(env, "reopen", "1", "-m", "lag is back")).ExitCode);

        var show = await RunAsync(env, "show", "1");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("P2 open, tier L1, team", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("assigned to dave, customer acme", show.Stdout, StringComparison.Ordinal);
        Assert.Contains(", 2 alerts, 0 members", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n\nTimeline:\n", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\nTimeline:", show.Stdout, StringComparison.Ordinal);
        foreach (var line in new[] { "Taken by dave", "To the customer, by dave: replication restarted", "Resolved by dave. Cause: the replica fell behind. Fix: restarted replication.", "Reopened by dave: lag is back" })
        {
            Assert.Contains(line, show.Stdout, StringComparison.Ordinal);
        }

        var json = await RunAsync(env, "list", "--status", "open,acknowledged", "--assigned-to", "dave", "-o", "json");
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement.GetProperty("total").GetInt32());

        // Exit codes: the service refused (1), a wrong command line (2), nothing listening (3); never a stack trace.
        Assert.Equal(1, (await RunAsync(env, "show", "99")).ExitCode);
        Assert.Equal(1, (await RunAsync(With(env, "HELPDESK_TOKEN", null), "ack", "1")).ExitCode);
        var usage = await RunAsync(env, "resolve", "1", "--cause", "only a cause");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--fix", usage.Stderr, StringComparison.Ordinal);
        foreach (var notANumber in new[] { "abc", "0", "INC-" })
        {
            var wrong = await RunAsync(env, "show", notANumber);
            Assert.Equal(2, wrong.ExitCode);
            Assert.Contains($"NUMBER must be an incident number such as INC-000042 or 42, not '{notANumber}'", wrong.Stderr, StringComparison.Ordinal);
        }

        var tooMany = await RunAsync(env, "list", "--limit", "5000");
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Contains("--limit must be from 1 to 500, not 5000", tooMany.Stderr, StringComparison.Ordinal);
        var down = await RunAsync(With(env, "HELPDESK_URL", $"http://127.0.0.1:{ServiceProcess.FreePort()}"), "list");
        Assert.Equal(3, down.ExitCode);
        Assert.Contains("cannot reach the helpdesk service", down.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", down.Stderr + usage.Stderr, StringComparison.Ordinal);

        // A config file that others could read is refused: it holds the token.
        var config = Directory.CreateDirectory(Path.Combine(_dir.Path, "config", "helpdesk")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "cli.json"), $$"""{"url": "http://127.0.0.1:{{service.Port}}", "token": "{{token}}"}""");
        File.SetUnixFileMode(Path.Combine(config, "cli.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var fromFile = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = _dir.Combine("config"), ["HELPDESK_URL"] = null, ["HELPDESK_TOKEN"] = null };
        var exposed = await RunAsync(fromFile, "list");
        Assert.Equal(2, exposed.ExitCode);
        Assert.Contains("chmod 600", exposed.Stderr, StringComparison.Ordinal);
        File.SetUnixFileMode(Path.Combine(config, "cli.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(0, (await RunAsync(fromFile, "ack", "1")).ExitCode);
    }

    [Fact]
    public async Task Shell_completion_comes_from_the_command_itself()
    {
        var (exit, script, _) = await ExternalCommand.RunAsync("dotnet", [Programs.Cli, "completion", "bash"]);
        Assert.Equal(0, exit);
        Assert.Contains("complete -o default -F _helpdesk_complete helpdesk", script, StringComparison.Ordinal);

        // What the script asks for: the commands after "helpdesk incidents ", and the priorities for "priority 1 ".
        var (_, verbs, _) = await ExternalCommand.RunAsync("dotnet", [Programs.Cli, "[suggest:19]", "helpdesk incidents "]);
        Assert.Equal(["ack", "assign", "list", "note", "priority", "reopen", "resolve", "show"],
            verbs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(v => !v.StartsWith('-') && !v.StartsWith('/')).Order());
        var line = "helpdesk incidents priority 1 ";
        var (_, priorities, _) = await ExternalCommand.RunAsync("dotnet", [Programs.Cli, $"[suggest:{line.Length}]", line]);
        Assert.Contains("P1", priorities.Split('\n', StringSplitOptions.TrimEntries));

        // The script itself, in a real bash: it offers the subcommands.
        var (bashExit, completed, bashErr) = await ExternalCommand.RunAsync("bash", ["-c",
            $"helpdesk() {{ dotnet '{Programs.Cli}' \"$@\"; }}; export -f helpdesk; source <(helpdesk completion bash); "
            + "COMP_WORDS=(helpdesk incidents re); COMP_CWORD=2; COMP_LINE='helpdesk incidents re'; COMP_POINT=21; _helpdesk_complete; printf '%s\\n' \"${COMPREPLY[@]}\""]);
        Assert.True(bashExit == 0, bashErr);
        Assert.Equal(["reopen", "resolve"], completed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IDictionary<string, string?> env, params string[] arguments) =>
        ExternalCommand.RunAsync("dotnet", [Programs.Cli, "incidents", .. arguments], env, timeout: TimeSpan.FromSeconds(60));

    private static Dictionary<string, string?> With(IDictionary<string, string?> env, string name, string? value) => new(env) { [name] = value };

    private static (int, string) Out((int ExitCode, string Stdout, string Stderr) run) => (run.ExitCode, run.Stdout.Trim());
}
