using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>
/// The console log as log shippers and journald read it (Helpdesk:LogFormat json / systemd), and quiet under traffic:
/// at the default levels a notification writes nothing, whatever the rate.
/// </summary>
public sealed class LogFormatIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Json_logs_are_one_object_per_line_and_notifications_write_none()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, Settings("json"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "warm-up", timeT: now));
        await Task.Delay(500);
        var before = Lines(service.Output);
        Assert.NotEmpty(before);
        Assert.All(before, line =>
        {
            using var entry = JsonDocument.Parse(line);
            Assert.EndsWith("Z", entry.RootElement.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Message", out _), line);
        });

        // 500 notifications: 50 new problems, each repeated nine times by other contacts.
        for (var round = 0; round < 10; round++)
        {
            await service.IngestAsync(Enumerable.Range(0, 50).Select(i => Records.Service(NotificationType.Problem, host: $"quiet{i:D2}", timeT: now)).ToArray());
        }

        await Task.Delay(500);
        var after = Lines(service.Output);
        Assert.True(after.Count == before.Count, "notifications wrote to the log:\n" + string.Join('\n', after.Skip(before.Count)));
    }

    [Fact]
    public async Task Systemd_logs_carry_journald_priorities_and_a_wrong_format_is_refused()
    {
        Directory.CreateDirectory(_dir.Combine("systemd"));
        await using (var service = await ServiceProcess.StartAsync(_dir.Combine("systemd"), Settings("systemd")))
        {
            var lines = Lines(service.Output);
            Assert.NotEmpty(lines);
            // <4> warning, <6> information (syslog priorities), one line per entry.
            Assert.All(lines, line => Assert.Matches(@"^<[0-7]>[A-Za-z.]+\[\d+\] ", line));
            Assert.Contains(lines, line => line.StartsWith("<4>", StringComparison.Ordinal));
        }

        Directory.CreateDirectory(_dir.Combine("wrong"));
        await using var wrong = await ServiceProcess.StartAsync(_dir.Combine("wrong"), Settings("xml"), waitReady: false);
        Assert.Equal(2, await wrong.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Helpdesk:LogFormat must be simple, json or systemd, not 'xml'", wrong.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Settings(string format) => new()
    {
        ["Helpdesk__LogFormat"] = format,
        // The default levels, not the test fixture's more talkative ones.
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Helpdesk"] = "Information",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };

    private static List<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
