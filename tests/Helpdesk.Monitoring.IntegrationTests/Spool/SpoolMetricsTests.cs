using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Telemetry;
using Helpdesk.Monitoring.Tests;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Spool;

/// <summary>The spool's gauges say what its folders hold, and exist only while the spool's metrics do.</summary>
public sealed class SpoolMetricsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_gauges_report_the_backlog_and_the_files_set_aside()
    {
        var paths = new SpoolPaths(_dir.Combine("spool")).EnsureExists();
        for (var i = 0; i < 3; i++)
        {
            var n = Records.Service(NotificationType.Problem, host: "h" + i, timeT: Records.T0 + i);
            File.WriteAllBytes(Path.Combine(paths.Incoming, SpoolFileName.For(n.TimeT, n.EventId)), Records.Bytes(n));
        }

        File.WriteAllText(Path.Combine(paths.Rejected, "a.json"), "{}");
        File.WriteAllText(Path.Combine(paths.Rejected, "b.json"), "{}");
        File.WriteAllText(Path.Combine(paths.Quarantine, "odd"), "");
        var source = new SpoolSource(paths, new DeadLetterDirectory(_dir.Combine("dead-letter")), new SpoolOptions(), TimeProvider.System, (_, _) => { });
        _ = await source.Notifications.Take(1).ToTask().WaitAsync(TimeSpan.FromSeconds(10));

        using (new SpoolMetrics(source))
        {
            Assert.Equal(new Dictionary<string, long>
            {
                ["helpdesk_spool_backlog"] = 3,
                ["helpdesk_spool_rejected_files"] = 2,
                ["helpdesk_spool_quarantined_files"] = 1,
            }, Read());
        }

        Assert.Empty(Read());
    }

    /// <summary>The spool gauges of this test's source: the values are this test's, whatever else runs.</summary>
    private static Dictionary<string, long> Read()
    {
        var seen = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == HelpdeskMetrics.MeterName && instrument.Name.StartsWith("helpdesk_spool_", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return new Dictionary<string, long>(seen);
    }
}
