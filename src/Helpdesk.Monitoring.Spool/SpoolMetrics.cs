using System.Diagnostics.Metrics;
using Helpdesk.Monitoring.Telemetry;

namespace Helpdesk.Monitoring.Spool;

/// <summary>
/// The spool's own gauges for /metrics, read from the source when Prometheus scrapes. They exist while this object
/// does: the spool owns what it measures, and the core knows nothing of folders.
/// </summary>
public sealed class SpoolMetrics : IDisposable
{
    private readonly Meter _meter = new(HelpdeskMetrics.MeterName, "1.0");

    public SpoolMetrics(SpoolSource source)
    {
        _meter.CreateObservableGauge("helpdesk_spool_backlog", () => source.Backlog, description: "Records waiting in the spool directory.");
        _meter.CreateObservableGauge("helpdesk_spool_rejected_files", () => source.RejectedFiles,
            description: "Inputs `helpdesk notify` refused, kept in the spool's rejected/ folder: each is a notification Nagios sent that is not an incident.");
        _meter.CreateObservableGauge("helpdesk_spool_quarantined_files", () => source.QuarantinedFiles,
            description: "Spool entries set aside in quarantine/ because they can never be records (links, FIFOs, folders, too large, unreadable).");
    }

    public void Dispose() => _meter.Dispose();
}
