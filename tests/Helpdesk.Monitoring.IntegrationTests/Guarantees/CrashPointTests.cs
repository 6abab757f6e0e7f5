using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Helpdesk.Monitoring.Diagnostics;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Guarantees;

/// <summary>
/// The embedded path killed (SIGKILL, by the process itself) at each named crash point, then restarted: nothing lost,
/// nothing doubled. The expected incidents are written out by hand from the traffic below (<see cref="Oracle"/>), not
/// computed by the production core, so a core bug cannot pass on both sides.
/// </summary>
public sealed class CrashPointTests : IDisposable
{
    private const int Hosts = 12;
    private const int CopiesPerProblem = 5;
    private const int KilledBySigkill = 137;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SpoolPaths Spool => new SpoolPaths(_dir.Combine("spool")).EnsureExists();

    [Theory]
    [InlineData(CrashPoint.CommitterAfterCommit + "@3")]
    [InlineData(CrashPoint.CommitterBeforeSettle + "@3")]
    [InlineData(CrashPoint.SpoolBeforeDelete + "@25")]
    public async Task Killed_at_a_point_of_the_spool_path_the_restarted_service_ends_exactly_where_an_uninterrupted_one_would(string point)
    {
        var spool = Spool;
        var traffic = Traffic();
        foreach (var n in traffic)
        {
            File.WriteAllBytes(Path.Combine(spool.Incoming, SpoolFileName.For(n.TimeT, n.EventId)), Records.Bytes(n));
        }

        // Small batches, so the armed arrival falls in the middle of the backlog.
        var settings = new Dictionary<string, string> { ["Helpdesk__Pipeline__BatchSize"] = "8", [CrashPoint.Variable] = point };
        await using (var crashing = await ServiceProcess.StartAsync(_dir.Path, settings, waitReady: false))
        {
            Assert.Equal(KilledBySigkill, await crashing.ExitCodeAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"killing this process at {point.Split('@')[0]}", crashing.Output, StringComparison.Ordinal);
        }

        Assert.InRange(Remaining(spool), 1, traffic.Count - 1);

        settings.Remove(CrashPoint.Variable);
        await using var restarted = await ServiceProcess.StartAsync(_dir.Path, settings);
        await WaitAsync(() => Remaining(spool) == 0, restarted);
        await AssertOracleAsync(restarted);

        // The records whose effect was committed before the kill came again, and changed nothing.
        Assert.Matches(@"helpdesk_duplicates_dropped_total\{kind=""redelivery""\} [1-9]", await restarted.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Killed_after_the_commit_before_answering_a_post_a_retry_of_the_same_records_changes_nothing()
    {
        var body = Encoding.UTF8.GetBytes("[" + string.Join(",", Traffic().Select(n => Encoding.UTF8.GetString(Records.Bytes(n)))) + "]");
        await using (var crashing = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { [CrashPoint.Variable] = CrashPoint.HttpBeforeAnswer }))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => crashing.PostNotificationsAsync(body));
            Assert.Equal(KilledBySigkill, await crashing.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        }

        // The caller heard nothing, so it sends the same records again: all were committed, so all are redeliveries.
        await using var restarted = await ServiceProcess.StartAsync(_dir.Path);
        using var retry = await restarted.PostNotificationsAsync(body);
        var result = JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(Traffic().Count, result.GetProperty("accepted").GetInt32());
        Assert.Equal(Traffic().Count, result.GetProperty("duplicates").GetInt32());
        await AssertOracleAsync(restarted);
    }

    [Fact]
    public async Task Notify_killed_before_the_rename_leaves_no_record_and_fails_so_nagios_logs_it()
    {
        var spool = Spool;
        var (exit, _) = await NotifyAsync(spool.Root, CrashPoint.DurableWriteBeforeRename);

        Assert.Equal(KilledBySigkill, exit);
        Assert.Empty(Directory.GetFileSystemEntries(spool.Incoming));
        Assert.Single(Directory.GetFiles(spool.Temporary, "*.tmp"));
        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        Assert.Equal(0, (await service.GetJsonAsync("/api/v1/incidents")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Notify_killed_after_the_rename_leaves_a_complete_record_that_opens_its_incident()
    {
        var spool = Spool;
        var (exit, _) = await NotifyAsync(spool.Root, CrashPoint.DurableWriteBeforeDirectorySync);

        Assert.Equal(KilledBySigkill, exit);
        var record = File.ReadAllBytes(Assert.Single(Directory.GetFiles(spool.Incoming)));
        Assert.True(NotificationParser.TryParse(record, out _, out var failure), failure.Message);
        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        var page = await service.WaitForAsync("/api/v1/incidents?host=crash01", p => p.GetProperty("total").GetInt64() == 1);
        Assert.Equal(1, page.GetProperty("items")[0].GetProperty("alertCount").GetInt64());
    }

    /// <summary>
    /// Hosts h00..h11, each with one HTTP problem sent <see cref="CopiesPerProblem"/> times (contacts and
    /// re-notifications: each copy counts once); the even ones recover last, with a recent TIMET so the verification
    /// hold keeps them resolved.
    /// </summary>
    private static List<Notification> Traffic()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600;
        var traffic = new List<Notification>();
        for (var h = 0; h < Hosts; h++)
        {
            for (var copy = 0; copy < CopiesPerProblem; copy++)
            {
                traffic.Add(Records.Service(NotificationType.Problem, host: $"h{h:D2}", timeT: now + copy, id: Id(h, copy)));
            }

            if (h % 2 == 0)
            {
                traffic.Add(Records.Service(NotificationType.Recovery, host: $"h{h:D2}", state: AlertState.Ok, output: "HTTP OK", timeT: now + 60, id: Id(h, 99)));
            }
        }

        return traffic;
    }

    // Fixed ids: a retry of the same traffic must carry the same ids, as a retrying sender's would.
    private static Guid Id(int host, int copy) => Guid.Parse($"0194b6f0-0000-7000-8000-{host:D4}{copy:D8}");

    /// <summary>What the traffic must give, written out: one incident per host, every copy counted once, the even ones resolved.</summary>
    private static Dictionary<string, (long AlertCount, string Status)> Oracle() =>
        Enumerable.Range(0, Hosts).ToDictionary(h => $"h{h:D2}", h => ((long)CopiesPerProblem, h % 2 == 0 ? "resolved" : "open"));

    private static async Task AssertOracleAsync(ServiceProcess service)
    {
        var page = await service.WaitForAsync("/api/v1/incidents?pageSize=500",
            p => p.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("alertCount").GetInt64()) >= Hosts * CopiesPerProblem
                && p.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("status").GetString() == "resolved") >= Hosts / 2);
        var actual = page.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("host").GetString()!, i => (i.GetProperty("alertCount").GetInt64(), i.GetProperty("status").GetString()!));
        Assert.Equal(Oracle().OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }


    private static async Task<(int ExitCode, string Stderr)> NotifyAsync(string spool, string point)
    {
        var start = new ProcessStartInfo(Programs.NativeCli, ["notify", "--instance", "nagios-test", "--spool", spool])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[CrashPoint.Variable] = point;
        start.Environment["NAGIOS_NOTIFICATIONTYPE"] = "PROBLEM";
        start.Environment["NAGIOS_HOSTNAME"] = "crash01";
        start.Environment["NAGIOS_HOSTSTATE"] = "DOWN";
        var (exit, _, stderr) = await ExternalCommand.RunAsync(start, TimeSpan.FromSeconds(60));
        return (exit, stderr);
    }

    private static async Task WaitAsync(Func<bool> condition, ServiceProcess service)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the spool did not drain:\n" + service.Output);
            await Task.Delay(20);
        }
    }

    private static int Remaining(SpoolPaths spool) => Directory.GetFiles(spool.Incoming, "*.json").Length;
}
