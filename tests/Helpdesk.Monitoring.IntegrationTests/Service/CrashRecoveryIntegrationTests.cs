using System.Diagnostics;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>SIGKILL in the middle of a spool backlog: after a restart nothing is lost and nothing is applied twice.</summary>
public sealed class CrashRecoveryIntegrationTests : IDisposable
{
    private const int Identities = 50;
    private const int RepeatsPerIdentity = 120;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_killed_service_resumes_the_spool_without_loss_or_double_application()
    {
        var spool = new SpoolPaths(_dir.Combine("spool")).EnsureExists();
        var total = WriteBacklog(spool);
        var settings = new Dictionary<string, string>
        {
            // Small batches make the backlog take long enough to be killed in the middle of it.
            ["Helpdesk__Pipeline__BatchSize"] = "25",
            ["Helpdesk__Spool__PollInterval"] = "00:00:00.010",
        };

        await using (var first = await ServiceProcess.StartAsync(_dir.Path, settings, waitReady: false))
        {
            var watch = Stopwatch.StartNew();
            while (Remaining(spool) > total - 300)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the service consumed nothing:\n" + first.Output);
                await Task.Delay(2);
            }

            first.Kill();
        }

        Assert.InRange(Remaining(spool), 1, total - 1);

        await using var second = await ServiceProcess.StartAsync(_dir.Path, settings);
        var deadline = Stopwatch.StartNew();
        while (Remaining(spool) > 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(120), $"spool not drained: {Remaining(spool)} left\n{second.Output}");
            await Task.Delay(50);
        }

        var page = await second.WaitForAsync("/api/v1/incidents?pageSize=500",
            p => p.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("alertCount").GetInt64()) >= Identities * RepeatsPerIdentity);
        var incidents = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Identities, incidents.Count);
        Assert.All(incidents, i => Assert.Equal(RepeatsPerIdentity, i.GetProperty("alertCount").GetInt64()));
        // The recoveries carry a TIMET days old, so their verification hold may already have closed them.
        Assert.Equal(Identities / 2, incidents.Count(i => i.GetProperty("status").GetString() is "resolved" or "closed"));
        Assert.Equal(Identities / 2, incidents.Count(i => i.GetProperty("status").GetString() == "open"));
    }

    [Fact]
    public async Task A_scheduled_downtime_that_started_before_a_kill_still_holds_a_problem_inside_it_in_maintenance()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await using (var first = await ServiceProcess.StartAsync(_dir.Path))
        {
            // Nagios announces a host's downtime with no incident open for it: there is nothing to hold yet.
            await first.IngestAsync(Records.Host(NotificationType.DowntimeStart, host: "db07", state: AlertState.Up, output: "PING OK", timeT: now - 60));
            first.Kill();
        }

        // A problem of one of its services arrives after the restart (a replay, another sender, the API).
        await using var second = await ServiceProcess.StartAsync(_dir.Path);
        await second.IngestAsync(Records.Service(NotificationType.Problem, host: "db07", service: "Disk", timeT: now));
        var page = await second.WaitForAsync("/api/v1/incidents", p => p.GetProperty("items").GetArrayLength() == 1);
        var incident = page.GetProperty("items")[0];
        Assert.True(incident.GetProperty("inMaintenance").GetBoolean(), "the downtime was forgotten across the restart:\n" + second.Output);
    }

    [Fact]
    public async Task A_recovery_that_overtook_its_problem_before_a_kill_still_resolves_the_incident_the_problem_opens_after_it()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await using (var first = await ServiceProcess.StartAsync(_dir.Path))
        {
            // Two Nagios workers: the RECOVERY arrives first.
            await first.IngestAsync(Records.Service(NotificationType.Recovery, host: "web07", state: AlertState.Ok, output: "HTTP OK", timeT: now - 30)
                with { ServiceProblemId = "4711", LastServiceProblemId = "0" });
            first.Kill();
        }

        await using var second = await ServiceProcess.StartAsync(_dir.Path);
        await second.IngestAsync(Records.Service(NotificationType.Problem, host: "web07", timeT: now - 90) with { ServiceProblemId = "4711" });
        var page = await second.WaitForAsync("/api/v1/incidents", p => p.GetProperty("items").GetArrayLength() == 1);
        Assert.True(page.GetProperty("items")[0].GetProperty("status").GetString() is "resolved" or "closed",
            "the early recovery was forgotten across the restart:\n" + page + "\n" + second.Output);
    }

    /// <summary>
    /// Every identity gets its problem repeated (each copy must count exactly once), and every other one recovers last,
    /// so a lost record shows as a low count or an open incident and a doubled one as a high count.
    /// </summary>
    private static int WriteBacklog(SpoolPaths spool)
    {
        var count = 0;
        for (var i = 0; i < Identities; i++)
        {
            for (var r = 0; r < RepeatsPerIdentity; r++)
            {
                Write(spool, Records.Service(NotificationType.Problem, host: $"host{i:D3}", timeT: Records.T0 + r));
                count++;
            }

            if (i % 2 == 0)
            {
                Write(spool, Records.Service(NotificationType.Recovery, host: $"host{i:D3}", state: AlertState.Ok, output: "OK", timeT: Records.T0 + RepeatsPerIdentity));
                count++;
            }
        }

        return count;
    }

    // Written without fsync for test speed; the service does not care how the files arrived.
    private static void Write(SpoolPaths spool, Notification n) =>
        File.WriteAllBytes(Path.Combine(spool.Incoming, SpoolFileName.For(n.TimeT, n.EventId)), Records.Bytes(n));

    private static int Remaining(SpoolPaths spool) => Directory.GetFiles(spool.Incoming, "*.json").Length;
}
