using System.Net.Http.Headers;
using System.Text;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>The service follows objects.cache: absent at start, written, rewritten (as a Nagios reload does).</summary>
public sealed class TopologyIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_topology_is_loaded_when_the_file_appears_and_reloaded_when_it_changes()
    {
        var cache = _dir.Combine("objects.cache");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Topology__ObjectsCachePath"] = cache,
            ["Helpdesk__Topology__ReloadInterval"] = "00:00:01",
        });
        await service.WaitForMetricAsync("helpdesk_topology_hosts", v => v == 0, TimeSpan.FromSeconds(10));

        await File.WriteAllTextAsync(cache, Host("core01", "") + Host("sw01", "core01"));
        await service.WaitForMetricAsync("helpdesk_topology_hosts", v => v == 2, TimeSpan.FromSeconds(30));

        // Nagios rewrites the file on reload: a new switch behind core01.
        await File.WriteAllTextAsync(cache + ".tmp", Host("core01", "") + Host("sw01", "core01") + Host("sw02", "core01"));
        File.Move(cache + ".tmp", cache, overwrite: true);
        await service.WaitForMetricAsync("helpdesk_topology_hosts", v => v == 3, TimeSpan.FromSeconds(30));

        await service.IngestAsync(
            Records.Host(NotificationType.Problem, host: "core01"),
            Records.Host(NotificationType.Problem, host: "sw02", state: AlertState.Unreachable, timeT: Records.T0 + 5));
        var detail = await service.GetJsonAsync("/api/v1/incidents/INC-000001");
        var member = Assert.Single(detail.GetProperty("members").EnumerateArray());
        Assert.Equal(("sw02", "parent-down"), (member.GetProperty("host").GetString(), member.GetProperty("rule").GetString()));
        Assert.Equal(1, (await service.GetJsonAsync("/api/v1/incidents")).GetProperty("total").GetInt64());
    }

    private static string Host(string name, string parents) =>
        $"define host {{\n\thost_name\t{name}\n{(parents.Length > 0 ? $"\tparents\t{parents}\n" : "")}\t}}\n";

}
