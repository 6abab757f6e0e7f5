using System.Diagnostics;
using System.Net.Http.Headers;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>/metrics after real traffic, checked by Prometheus' own promtool.</summary>
public sealed class MetricsIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_exposition_passes_promtool_and_counts_what_happened()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path);

        // Before any traffic every series an alert rule would use is there at 0 (rate() over a missing series is empty),
        // the process series come from prometheus-net, and a service without Kafka shows no Kafka series.
        var fresh = await service.Http.GetStringAsync("/metrics");
        Assert.Contains("\nhelpdesk_incidents_opened_total 0\n", fresh, StringComparison.Ordinal);
        Assert.Contains("\nhelpdesk_notifications_dead_lettered_total{reason=\"oversized\",source=\"spool\"} 0\n", fresh, StringComparison.Ordinal);
        Assert.Contains("\nhelpdesk_notifications_ingested_total{type=\"DOWNTIMECANCELLED\"} 0\n", fresh, StringComparison.Ordinal);
        Assert.Contains("\nhelpdesk_shared_state_failures_total{operation=\"write\"} 0\n", fresh, StringComparison.Ordinal);
        Assert.Contains("\nprocess_cpu_seconds_total ", fresh, StringComparison.Ordinal);
        Assert.Contains("\nhelpdesk_rules_reload_successful 1\n", fresh, StringComparison.Ordinal);
        Assert.Contains("\nhelpdesk_rules_loaded_timestamp_seconds 0\n", fresh, StringComparison.Ordinal);
        Assert.DoesNotContain("kafka", fresh, StringComparison.Ordinal);

        var problem = Records.Service(NotificationType.Problem);
        // The last two: a RECOVERY overtaking its PROBLEM still counts as a resolve, though no single outcome says so.
        var body = "[" + string.Join(",", new[]
            {
                problem, problem, Records.Service(NotificationType.Problem), Records.Service(NotificationType.Recovery, state: AlertState.Ok),
                Records.Service(NotificationType.Recovery, host: "web02", state: AlertState.Ok, timeT: Records.T0 + 60),
                Records.Service(NotificationType.Problem, host: "web02", timeT: Records.T0),

                // A host down and a service on it: one alert correlated into the host's incident.
                Records.Host(NotificationType.Problem, host: "db01", timeT: Records.T0 + 70),
                Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", timeT: Records.T0 + 71),
            }
            .Select(n => System.Text.Encoding.UTF8.GetString(Records.Bytes(n)))) + ",{\"v\":3}]";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications") { Content = new StringContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceProcess.IngestKey);
        using (var response = await service.Http.SendAsync(request))
        {
            // Every notification above committed (six of them PROBLEMs), the last record ({"v":3}) refused.
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal(8, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accepted").GetInt32());
        }

        var text = await service.Http.GetStringAsync("/metrics");
        Assert.Contains("helpdesk_notifications_ingested_total{type=\"PROBLEM\"} 6", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_alerts_correlated_total 1", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_storm_active 0", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_notifications_ingested_total{type=\"RECOVERY\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_duplicates_dropped_total{kind=\"redelivery\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_duplicates_dropped_total{kind=\"repeat\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_incidents_opened_total 3", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_incidents_resolved_total 2", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_notifications_dead_lettered_total{reason=\"unsupported_version\",source=\"http\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_ingest_commit_latency_seconds_count 8", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_spool_backlog 0", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_active_incidents 1", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_archived_incidents 0", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_incidents_archived_total 0", text, StringComparison.Ordinal);

        // The store's files as they are on disk now (the database and its write-ahead log).
        var onDisk = new[] { "helpdesk.db", "helpdesk.db-wal" }.Select(f => new FileInfo(Path.Combine(_dir.Path, f))).Where(f => f.Exists).Sum(f => f.Length);
        var reported = double.Parse(text.Split('\n').Single(l => l.StartsWith("helpdesk_store_size_bytes ", StringComparison.Ordinal))["helpdesk_store_size_bytes ".Length..],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reported, 4096, onDisk * 2);

        var (exit, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exit == 0, "promtool check metrics failed:\n" + output + "\n" + text);

        // What the decider remembers beside the incidents: the early recovery above was taken by its problem.
        Assert.Contains("helpdesk_scheduled_downtimes 0", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_early_recoveries 0", text, StringComparison.Ordinal);
        await service.IngestAsync(
            Records.Host(NotificationType.DowntimeStart, host: "db09", state: AlertState.Up, timeT: Records.T0 + 80),
            Records.Service(NotificationType.Recovery, host: "web09", state: AlertState.Ok, timeT: Records.T0 + 80));
        text = await service.Http.GetStringAsync("/metrics");
        Assert.Contains("helpdesk_scheduled_downtimes 1", text, StringComparison.Ordinal);
        Assert.Contains("helpdesk_early_recoveries 1", text, StringComparison.Ordinal);
    }
}
