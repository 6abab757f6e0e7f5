using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Spool;

/// <summary>
/// The spool shared the way a production install shares it: `helpdesk notify` runs as Nagios' user, the service as its
/// own, both in one group, each under an ordinary umask (022 and 077), whichever starts first.
/// </summary>
public sealed class SharedSpoolTests : IDisposable
{
    private const UnixFileMode Shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.SetGroup;

    private readonly TempDirectory _dir = new();

    public SharedSpoolTests()
    {
        if (!SystemUsers.IsRoot)
        {
            return;
        }

        // As the install lays them out: the spool root owned by the service user and the shared group (2770), the
        // service's data directory its own.
        Directory.CreateDirectory(Spool);
        SystemUsers.Own(Spool, SystemUsers.Service, Shared);
        Directory.CreateDirectory(Data);
        SystemUsers.Own(Data, SystemUsers.Service, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string Spool => _dir.Combine("spool");

    private string Data => _dir.Combine("data");

    public void Dispose() => _dir.Dispose();

    [RootFact]
    public async Task Service_first_under_umask_022_then_notify_under_umask_077()
    {
        await using var service = await Start("022");
        foreach (var folder in new[] { "incoming", "tmp", "rejected", "quarantine" })
        {
            Assert.Equal(Shared, File.GetUnixFileMode(Path.Combine(Spool, folder)) & Shared);
        }

        var (exit, stderr) = await NotifyProcess.RunAsNagiosAsync("077", Spool, Problem("web01"));
        Assert.True(exit == 0, stderr);
        await service.WaitForAsync("/api/v1/incidents?host=web01", page => page.GetProperty("total").GetInt64() == 1);
        await WaitEmptyAsync(Path.Combine(Spool, "incoming"));

        // A file only Nagios' user may read (not written by notify): set aside, and the record after it still commits.
        // (Made outside the spool and renamed in, so the service never sees it half made.)
        var foreign = _dir.Combine("000000000001-unreadable.json");
        await File.WriteAllTextAsync(foreign, "{}");
        SystemUsers.Own(foreign, SystemUsers.Nagios, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(foreign, Path.Combine(Spool, "incoming", Path.GetFileName(foreign)));
        (exit, stderr) = await NotifyProcess.RunAsNagiosAsync("077", Spool, Problem("web02"));
        Assert.True(exit == 0, stderr);
        await service.WaitForAsync("/api/v1/incidents?host=web02", page => page.GetProperty("total").GetInt64() == 1);
        Assert.True(File.Exists(Path.Combine(Spool, "quarantine", "000000000001-unreadable.json")), service.Output);
        Assert.False(service.HasExited);
    }

    [RootFact]
    public async Task Notify_first_under_umask_077_then_the_service_under_umask_022()
    {
        var (exit, stderr) = await NotifyProcess.RunAsNagiosAsync("077", Spool, Problem("db01"));
        Assert.True(exit == 0, stderr);
        var spooled = Assert.Single(Directory.GetFiles(Path.Combine(Spool, "incoming")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(spooled));

        await using var service = await Start("022");
        await service.WaitForAsync("/api/v1/incidents?host=db01", page => page.GetProperty("total").GetInt64() == 1);
        await WaitEmptyAsync(Path.Combine(Spool, "incoming"));
        Assert.False(service.HasExited, service.Output);
    }

    private Task<ServiceProcess> Start(string umask) =>
        ServiceProcess.StartAsync(Data, new Dictionary<string, string> { ["Helpdesk__Spool__Path"] = Spool, ["HOME"] = Data },
            runAs: (SystemUsers.Service, umask));

    private static Dictionary<string, string> Problem(string host) => new()
    {
        ["NOTIFICATIONTYPE"] = "PROBLEM", ["HOSTNAME"] = host, ["HOSTSTATE"] = "DOWN", ["HOSTOUTPUT"] = "PING CRITICAL - 100% loss",
    };

    private static async Task WaitEmptyAsync(string folder)
    {
        for (var i = 0; i < 200 && Directory.EnumerateFileSystemEntries(folder).Any(); i++)
        {
            await Task.Delay(50);
        }

        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
