using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>Runs <c>helpdesk users …</c> on a users file, as an administrator would.</summary>
internal static class UsersCli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string usersFile, params string[] arguments) =>
        await ExternalCommand.RunAsync("dotnet", [Programs.Cli, "users", .. arguments, "--users-file", usersFile], timeout: TimeSpan.FromSeconds(60));

    /// <summary>Adds a user and returns the token printed once.</summary>
    public static async Task<string> AddAsync(string usersFile, string name, string role, string tier = "L1", string team = "network")
    {
        var (exit, stdout, stderr) = await RunAsync(usersFile, "add", name, "--role", role, "--tier", tier, "--team", team, "--display-name", $"{name} (test)");
        Assert.True(exit == 0, stderr);
        return stdout.Trim();
    }
}
