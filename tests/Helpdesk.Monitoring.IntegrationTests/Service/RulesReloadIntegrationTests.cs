using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>The running service told to read its rules file again (SIGHUP, as systemctl reload sends it).</summary>
public sealed class RulesReloadIntegrationTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly WebhookReceiver _receiver = new();

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _dir.Dispose();
    }

    private static string Rules(string team, string channels, string hostKey = "host") => $$"""
        { "version": 1,
          "routing": { "routes": [ { "match": { "{{hostKey}}": "web*" }, "team": "{{team}}", "tier": "L1" } ], "defaultTeam": "helpdesk" },
          "outbound": { "default": [{{channels}}] } }
        """;

    private static async Task<string> TeamOf(ServiceProcess service, int number) =>
        (await service.GetJsonAsync($"/api/v1/incidents/INC-{number:D6}")).GetProperty("incident").GetProperty("team").GetString()!;

    private static Task SaidAsync(ServiceProcess service, string words, int times) =>
        service.EventuallyAsync(() => Task.FromResult(service.Output.Split(words).Length - 1 >= times), TimeSpan.FromSeconds(30), $"the log saying '{words}' {times} time(s)");

    [Fact]
    public async Task A_reload_routes_what_arrives_next_a_broken_file_changes_nothing_and_the_service_keeps_running()
    {
        var rules = _dir.Combine("rules.json");
        await File.WriteAllTextAsync(rules, Rules("web", ""));
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__RulesPath"] = rules,
            ["Helpdesk__Outbound__Webhooks__ops__Url"] = _receiver.Url,
            ["Helpdesk__Outbound__Webhooks__ops__Secret"] = WebhookReceiver.Secret,
        });
        Assert.Equal(1, await service.MetricAsync("helpdesk_rules_reload_successful"));
        var readAtStart = await service.MetricAsync("helpdesk_rules_loaded_timestamp_seconds");
        Assert.True(readAtStart > Records.T0, $"read at {readAtStart}");
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01"));
        Assert.Equal("web", await TeamOf(service, 1));

        // Written in place, as an editor saves it; then reloaded.
        await File.WriteAllTextAsync(rules, Rules("platform", "\"ops\""));
        await service.HangUpAsync();
        await SaidAsync(service, "Rules reloaded from " + rules + " (0 impact rules, 0 category rules, 1 route,", 1);
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web02", timeT: Records.T0 + 60));
        Assert.Equal(("web", "platform"), (await TeamOf(service, 1), await TeamOf(service, 2)));
        await _receiver.WaitForAsync(taken => taken.Any(t => t.Number == "INC-000002" && t.Event == "opened"), TimeSpan.FromSeconds(30), () => service.Output);
        Assert.DoesNotContain(_receiver.Taken, t => t.Number == "INC-000001");

        // A mistake: refused with the words `helpdesk rules check` uses; the rules read before stay.
        await File.WriteAllTextAsync(rules, Rules("nobody", "\"ops\"", hostKey: "hostt"));
        await service.HangUpAsync();
        await SaidAsync(service, "was not reloaded, and the rules read before stay in force", 1);
        Assert.Contains("routing.routes[0].match.hostt: unknown setting (did you mean host?", service.Output, StringComparison.Ordinal);
        Assert.Equal(0, await service.MetricAsync("helpdesk_rules_reload_successful"));
        var (checkCode, checkLine) = await CheckPluginIntegrationTests.Check("-p", service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, checkCode);
        Assert.Contains(", the last reload of the rules file was refused, so the rules read before are in force", checkLine, StringComparison.Ordinal);
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web03", timeT: Records.T0 + 120));
        Assert.Equal("platform", await TeamOf(service, 3));

        await File.WriteAllTextAsync(rules, Rules("web", "\"ops\""));
        await service.HangUpAsync();
        await service.WaitForMetricAsync("helpdesk_rules_reload_successful", v => v == 1, TimeSpan.FromSeconds(30));
        await SaidAsync(service, "Rules reloaded from", 2);
        (checkCode, checkLine) = await CheckPluginIntegrationTests.Check("-p", service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("rules", checkLine, StringComparison.Ordinal);
        Assert.False(service.HasExited);
        Assert.StartsWith("ready", await service.Http.GetStringAsync("/readyz"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_rules_file_a_reload_says_so_and_the_service_keeps_running()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        await service.HangUpAsync();
        await SaidAsync(service, "Asked to reload the rules, but no rules file is configured (Helpdesk:RulesPath)", 1);
        await service.IngestAsync(Records.Service(NotificationType.Problem));
        Assert.Equal("helpdesk", await TeamOf(service, 1));
        Assert.False(service.HasExited);
    }
}
