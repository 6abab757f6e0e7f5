using System.Text.Json;
using System.Text.RegularExpressions;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Install;

/// <summary>
/// The Grafana dashboard shipped in deploy/: every query is PromQL Prometheus accepts (promtool checks each as a
/// recording rule), and every metric it reads is one the service really exposes.
/// </summary>
public sealed partial class DashboardTests : IDisposable
{
    private static readonly string Dashboard = Path.Combine(Programs.Root, "src", "Helpdesk.Monitoring.Service", "deploy", "grafana-dashboard.json");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_panel_queries_valid_promql_over_metrics_the_service_exposes()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Dashboard));
        var panels = document.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.True(panels.Count >= 12);
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var queries = panels.SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToList();

        // As recording rules, with Grafana's variables given values, the queries pass promtool's parser.
        var rules = _dir.Combine("dashboard.rules.yml");
        await File.WriteAllLinesAsync(rules, ["groups:", "  - name: dashboard", "    rules:",
            .. queries.SelectMany((q, i) => new[] { $"      - record: dashboard:query{i}", $"        expr: '{q.Replace("$instance", ".*", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)}'" })]);
        var (exit, stdout, stderr) = await ExternalCommand.RunAsync("promtool", ["check", "rules", rules]);
        Assert.True(exit == 0, stdout + stderr);

        // Each metric is on a running service's /metrics (with a channel configured, so the outbound ones are too).
        // The Kafka gauges exist only in the Kafka mode; the Kafka tests scrape those.
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Outbound__Webhooks__ops__Url"] = "http://127.0.0.1:9/",
        });
        var used = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Value)).Distinct()
            .Where(name => !name.StartsWith("helpdesk_kafka_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(used);

        // The outbound channels register their gauges as they start, which on a busy machine can be just after ready.
        var missing = used;
        await service.EventuallyAsync(async () =>
        {
            var exposed = await service.Http.GetStringAsync("/metrics");
            missing = [.. used.Where(name => !exposed.Contains($"\n{name}", StringComparison.Ordinal))];
            return missing.Count == 0;
        }, TimeSpan.FromSeconds(15), () => "every metric the dashboard uses on /metrics; missing: " + string.Join(", ", missing));
    }

    [GeneratedRegex("helpdesk_[a-z_]+")]
    private static partial Regex MetricName();
}
