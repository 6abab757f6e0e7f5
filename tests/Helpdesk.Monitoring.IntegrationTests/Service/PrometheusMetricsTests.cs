using System.Diagnostics;
using Helpdesk.Monitoring.Hosting.Metrics;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Telemetry;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>The bridge from the service's instruments to prometheus-net: nothing allocated per measurement.</summary>
public sealed class PrometheusMetricsTests
{
    [Fact]
    public async Task Recording_a_commit_allocates_nothing_once_its_series_exist()
    {
        using var metrics = new PrometheusMetrics(kafka: false);
        using var instruments = new HelpdeskMetrics();
        var received = Stopwatch.GetTimestamp();
        instruments.Committed(NotificationType.Problem, ApplyOutcome.Repeated, 1);
        instruments.CommitTook(received);
        instruments.Rejected(RejectReason.MalformedJson, "http");

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            instruments.Committed(NotificationType.Problem, ApplyOutcome.Repeated, 1);
            instruments.CommitTook(received);
            instruments.Rejected(RejectReason.MalformedJson, "http");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        // And they were counted (other tests in this process may add more).
        using var page = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(page);
        var text = System.Text.Encoding.UTF8.GetString(page.ToArray());
        var line = text.Split('\n').Single(l => l.StartsWith("helpdesk_duplicates_dropped_total{kind=\"repeat\"} ", StringComparison.Ordinal));
        Assert.True(double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 10_001, line);
    }

    [Fact]
    public async Task A_gauge_of_any_numeric_type_is_published_with_its_value()
    {
        using var metrics = new PrometheusMetrics(kafka: false);
        using var meter = new System.Diagnostics.Metrics.Meter(HelpdeskMetrics.MeterName);
        var name = "helpdesk_test_gauge_" + Guid.NewGuid().ToString("N")[..8];
        meter.CreateObservableGauge(name + "_int", () => 7);
        meter.CreateObservableGauge(name + "_long", () => 8L);
        meter.CreateObservableGauge(name + "_double", () => 9.5);

        using var page = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(page);
        var lines = System.Text.Encoding.UTF8.GetString(page.ToArray()).Split('\n');

        Assert.Contains($"{name}_int 7", lines);
        Assert.Contains($"{name}_long 8", lines);
        Assert.Contains($"{name}_double 9.5", lines);
    }
}
