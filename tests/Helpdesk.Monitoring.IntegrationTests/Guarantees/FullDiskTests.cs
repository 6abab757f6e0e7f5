using System.Net;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Guarantees;

/// <summary>The store's disk runs full while notifications arrive, then is freed: nothing lost, nothing doubled.</summary>
public sealed class FullDiskTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SmallFileSystemFact]
    public async Task A_full_disk_holds_the_commits_says_why_and_everything_lands_once_it_is_freed()
    {
        using var disk = await SmallFileSystem.MountAsync(16);
        var spool = _dir.Combine("spool");
        await using var service = await ServiceProcess.StartAsync(disk.Path, new Dictionary<string, string>
        {
            // The spool on another disk, as Nagios' own: the notifications wait there while the store's disk is full.
            ["Helpdesk__Spool__Path"] = spool,
            ["Helpdesk__Pipeline__StoreFailureGrace"] = "00:00:02",
            ["Helpdesk__Pipeline__MaxRetryDelay"] = "00:00:01",
        });
        disk.Fill();

        string[] hosts = ["db01", "db02", "db03"];
        foreach (var host in hosts)
        {
            var (code, error) = await NotifyProcess.RunAsync(spool, new Dictionary<string, string>
            {
                ["NOTIFICATIONTYPE"] = "PROBLEM", ["HOSTNAME"] = host, ["HOSTSTATE"] = "DOWN", ["HOSTOUTPUT"] = "PING CRITICAL - Packet loss = 100%",
            });
            Assert.True(code == 0, error);
        }

        // Not ready, with the store named; the log says what to mend, in sentences, without a stack trace per retry.
        await service.EventuallyAsync(async () =>
        {
            using var ready = await service.Http.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable && (await ready.Content.ReadAsStringAsync()).Contains("has not completed a commit", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), () => $"/readyz never said the store is failing\n{service.Output}");
        await service.EventuallyAsync(() => Task.FromResult(service.Output.Contains("the batch waits for it", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), () => service.Output);
        Assert.Contains("helpdesk.db cannot take writes: the disk is full", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.Output, StringComparison.Ordinal);
        Assert.Empty((await service.GetJsonAsync("/api/v1/incidents")).GetProperty("items").EnumerateArray());

        // A full disk is an outage, not a plan the store refuses: no rebuild of the state every few attempts.
        Assert.DoesNotContain("rebuilding state from the store", service.Output, StringComparison.Ordinal);

        disk.Free();
        var page = await service.WaitForAsync("/api/v1/incidents", p => p.GetProperty("items").GetArrayLength() == 3, TimeSpan.FromSeconds(30));
        Assert.Equal(hosts, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("host").GetString()).Order());
        Assert.Equal(["INC-000001", "INC-000002", "INC-000003"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()).Order());
        await service.WaitReadyAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(Directory.GetFiles(Path.Combine(spool, "incoming")));
    }

    [SmallFileSystemFact]
    public async Task A_spool_on_a_full_disk_makes_notify_fail_in_a_sentence_and_leave_nothing_half_written()
    {
        using var disk = await SmallFileSystem.MountAsync(2);
        var spool = Path.Combine(disk.Path, "spool");
        var macros = new Dictionary<string, string>
        {
            ["NOTIFICATIONTYPE"] = "PROBLEM", ["HOSTNAME"] = "db01", ["HOSTSTATE"] = "DOWN", ["HOSTOUTPUT"] = "PING CRITICAL - Packet loss = 100%",
        };
        Assert.Equal(0, (await NotifyProcess.RunAsync(spool, macros)).ExitCode);
        disk.Fill();

        var (code, error) = await NotifyProcess.RunAsync(spool, macros);

        // Exit 2 (the spool could not be written): Nagios logs the line, and does not run the command again.
        Assert.Equal(2, code);
        Assert.Contains($"helpdesk notify: cannot write to spool '{spool}': the disk is full (", error, StringComparison.Ordinal);
        Assert.Contains("this notification is lost unless Nagios sends it again", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(spool, "tmp")));
        Assert.Single(Directory.GetFiles(Path.Combine(spool, "incoming")));
    }
}
