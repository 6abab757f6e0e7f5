using System.Text;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>
/// An agent's acknowledgement while Nagios is stopped (its command FIFO has no reader): the timeline says so once,
/// the metrics count every failed try, and the acknowledgement reaches Nagios when it reads again.
/// </summary>
public sealed class NagiosAcknowledgementIntegrationTests : IDisposable
{
    private const string AgentKey = "agent-key-3b7e";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_stopped_nagios_is_said_once_on_the_timeline_and_told_when_it_reads_again()
    {
        var fifo = _dir.Combine("nagios.cmd");
        var (made, _, error) = await ExternalCommand.RunAsync("mkfifo", [fifo]);
        Assert.True(made == 0, error);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["HELPDESK_AGENT_KEY"] = AgentKey,
            ["Helpdesk__Nagios__CommandFiles__nagios-a"] = fifo,
            ["Helpdesk__Outbound__RetryDelay"] = "00:00:00.200",
            ["Helpdesk__Outbound__MaxRetryDelay"] = "00:00:00.500",
        });
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await service.WaitForAsync("/api/v1/incidents/INC-000001", _ => true, TimeSpan.FromSeconds(30));

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents/INC-000001/acknowledge")
        {
            Content = new StringContent("""{"by":"dave","comment":"on it"}""", Encoding.UTF8, "application/json"),
        })
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AgentKey);
            using var acknowledged = await service.Http.SendAsync(request);
            Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
        }

        // Nobody reads the FIFO: every try fails at once; the timeline says so once, however many tries.
        await service.WaitForMetricAsync("helpdesk_outbound_failed_total{channel=\"nagios\",event=\"acknowledged\"}", v => v >= 3, TimeSpan.FromSeconds(30));
        var detail = await service.WaitForAsync("/api/v1/incidents/INC-000001",
            d => d.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("text").GetString()!.StartsWith("Nagios (nagios-a)", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30));
        var notes = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("text").GetString()!).Where(t => t.StartsWith("Nagios", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"Nagios (nagios-a) could not be told of the acknowledgement yet: Nagios is not reading its command file {fifo}: is it running, with check_external_commands=1?; retrying"], notes);

        // Nagios reads again: the next try writes the acknowledgement.
        using var reader = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = await reader.ReadAsync(buffer, timeout.Token);
        Assert.Matches(@"^\[\d+\] ACKNOWLEDGE_SVC_PROBLEM;web01;HTTP;2;1;0;dave;on it \(INC-000001\)\n$", Encoding.UTF8.GetString(buffer, 0, read));
        await service.WaitForMetricAsync("helpdesk_outbound_sent_total{channel=\"nagios\",event=\"acknowledged\"}", v => v == 1, TimeSpan.FromSeconds(30));
    }
}
