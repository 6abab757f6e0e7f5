using System.Diagnostics;
using System.Diagnostics.Metrics;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Telemetry;

/// <summary>
/// The service's instruments (System.Diagnostics.Metrics), named as they appear in Prometheus. Labels are bounded:
/// notification type, reject reason, duplicate kind, source.
/// </summary>
public static class HelpdeskMetrics
{
    public const string MeterName = "Helpdesk.Monitoring";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Ingested = Meter.CreateCounter<long>("helpdesk_notifications_ingested", description: "Notifications committed to the store, by notification type.");
    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("helpdesk_notifications_dead_lettered", description: "Refused notifications written to the dead-letter area, by reason.");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("helpdesk_duplicates_dropped", description: "Notifications that changed nothing but counters: redeliveries and repeats.");
    private static readonly Counter<long> Opened = Meter.CreateCounter<long>("helpdesk_incidents_opened", description: "Incidents opened.");
    private static readonly Counter<long> Resolved = Meter.CreateCounter<long>("helpdesk_incidents_resolved", description: "Incidents resolved by a recovery.");
    private static readonly Counter<long> Closed = Meter.CreateCounter<long>("helpdesk_incidents_closed", description: "Incidents closed after the verification hold.");
    private static readonly Counter<long> Reopened = Meter.CreateCounter<long>("helpdesk_incidents_reopened", description: "Resolved incidents reopened within the reopen window.");
    private static readonly Counter<long> CommitFailures = Meter.CreateCounter<long>("helpdesk_store_commit_failures", description: "Store commits that failed and were retried.");
    private static readonly Histogram<double> CommitLatency = Meter.CreateHistogram<double>(
        "helpdesk_ingest_commit_latency_seconds", unit: "s", description: "From a notification's arrival to its commit in the store.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    // Gauges are created once; the running service points them at its spool and book.
    private static Func<long> _spoolBacklog = static () => 0;
    private static Func<long> _activeIncidents = static () => 0;
    private static readonly ObservableGauge<long> SpoolBacklog = Meter.CreateObservableGauge("helpdesk_spool_backlog", static () => _spoolBacklog(), description: "Records waiting in the spool directory.");
    private static readonly ObservableGauge<long> ActiveIncidents = Meter.CreateObservableGauge("helpdesk_active_incidents", static () => _activeIncidents(), description: "Incidents open or acknowledged.");

    public static void ObserveSpoolBacklog(Func<long> backlog) => _spoolBacklog = backlog;

    public static void ObserveActiveIncidents(Func<long> active) => _activeIncidents = active;

    public static void Committed(NotificationType type, ApplyOutcome outcome, long receivedTimestamp)
    {
        Ingested.Add(1, new KeyValuePair<string, object?>("type", NagiosNames.Of(type)));
        switch (outcome)
        {
            case ApplyOutcome.Redelivered:
                Duplicates.Add(1, new KeyValuePair<string, object?>("kind", "redelivery"));
                break;
            case ApplyOutcome.Repeated:
                Duplicates.Add(1, new KeyValuePair<string, object?>("kind", "repeat"));
                break;
            case ApplyOutcome.Opened:
                Opened.Add(1);
                break;
            case ApplyOutcome.Reopened:
                Reopened.Add(1);
                break;
        }

        CommitLatency.Record(Stopwatch.GetElapsedTime(receivedTimestamp).TotalSeconds);
    }

    /// <summary>
    /// Resolves and closes, counted from the timeline: an incident also resolves by the clock (after flapping) or
    /// through a recovery that came before its problem, where no single notification's outcome says so.
    /// </summary>
    public static void ResolvedAndClosed(int resolved, int closed)
    {
        if (resolved > 0)
        {
            Resolved.Add(resolved);
        }

        if (closed > 0)
        {
            Closed.Add(closed);
        }
    }

    public static void Rejected(RejectReason reason, string source) =>
        DeadLettered.Add(1, new KeyValuePair<string, object?>("reason", RejectReasons.Label(reason)), new KeyValuePair<string, object?>("source", source));

    public static void CommitFailed() => CommitFailures.Add(1);
}
