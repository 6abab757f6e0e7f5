using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>
/// <c>helpdesk users</c> run at the same time (two administrators, a provisioning script adding people in parallel):
/// every change counts; none writes back a file read before another's change (a revoked token would come back).
/// </summary>
public sealed class UsersFileLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_change_waits_for_the_one_under_way_and_all_of_them_count()
    {
        var users = _dir.Combine("users.json");
        await UsersCli.AddAsync(users, "alice", "admin");

        // While another change holds the file, a command waits for it instead of reading what is about to be replaced.
        Task<(int ExitCode, string Stdout, string Stderr)> waiting;
        using (FileLock.Take(users))
        {
            waiting = UsersCli.RunAsync(users, "add", "bob", "--role", "agent");
            var first = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(3)));
            Assert.NotSame(waiting, first);
        }

        var (exit, _, stderr) = await waiting;
        Assert.True(exit == 0, stderr);

        // Six at once: all six are in the file afterwards.
        var adds = Enumerable.Range(1, 6).Select(i => UsersCli.RunAsync(users, "add", $"agent{i}", "--role", "agent")).ToList();
        foreach (var (code, _, error) in await Task.WhenAll(adds))
        {
            Assert.True(code == 0, error);
        }

        var (listed, list, listError) = await UsersCli.RunAsync(users, "list");
        Assert.True(listed == 0, listError);
        foreach (var name in new[] { "alice", "bob", "agent1", "agent2", "agent3", "agent4", "agent5", "agent6" })
        {
            Assert.Contains($"\n{name} ", "\n" + list, StringComparison.Ordinal);
        }

        // The lock is a file of its own beside the users file, readable by its owner only.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FileLock.PathFor(users)));
    }

    [Fact]
    public void The_lock_file_is_never_taken_through_a_link()
    {
        var users = _dir.Combine("users.json");
        var elsewhere = _dir.Combine("elsewhere");
        File.WriteAllText(elsewhere, "");
        File.CreateSymbolicLink(FileLock.PathFor(users), elsewhere);

        var refused = Assert.Throws<IOException>(() => FileLock.Take(users));
        Assert.StartsWith($"cannot open the lock file {FileLock.PathFor(users)}: ", refused.Message, StringComparison.Ordinal);
    }
}
