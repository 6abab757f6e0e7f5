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

    // The instruments with labels: HelpdeskMetricLabels declares their labels under these names.
    internal const string IngestedName = "helpdesk_notifications_ingested";
    internal const string DeadLetteredName = "helpdesk_notifications_dead_lettered";
    internal const string DuplicatesName = "helpdesk_duplicates_dropped";
    internal const string AgentActionsName = "helpdesk_agent_actions";
    internal const string SharedStateFailuresName = "helpdesk_shared_state_failures";
    internal const string DeadLettersDroppedName = "helpdesk_dead_letters_dropped";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Ingested = Meter.CreateCounter<long>(IngestedName, description: "Notifications committed to the store, by notification type.");
    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(DeadLetteredName, description: "Refused notifications written to the dead-letter area, by reason.");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>(DuplicatesName, description: "Notifications that changed nothing but counters: redeliveries and repeats.");
    private static readonly Counter<long> Opened = Meter.CreateCounter<long>("helpdesk_incidents_opened", description: "Incidents opened.");
    private static readonly Counter<long> Resolved = Meter.CreateCounter<long>("helpdesk_incidents_resolved", description: "Incidents resolved by a recovery.");
    private static readonly Counter<long> Closed = Meter.CreateCounter<long>("helpdesk_incidents_closed", description: "Incidents closed after the verification hold.");
    private static readonly Counter<long> Reopened = Meter.CreateCounter<long>("helpdesk_incidents_reopened", description: "Resolved incidents reopened within the reopen window.");
    private static readonly Counter<long> Correlated = Meter.CreateCounter<long>("helpdesk_alerts_correlated", description: "New problems that joined an existing incident by a correlation rule (host, parent, dependency, group, storm).");
    private static readonly Counter<long> Merged = Meter.CreateCounter<long>("helpdesk_incidents_merged", description: "Incidents merged into the incident of their cause (counted once per merged incident).");
    private static readonly Counter<long> Escalations = Meter.CreateCounter<long>("helpdesk_escalations", description: "Incidents moved up a tier (L1 window passed, or an SLA target breached).");
    private static readonly Counter<long> Breaches = Meter.CreateCounter<long>("helpdesk_sla_breaches", description: "SLA targets (response or resolution) breached.");
    private static readonly Counter<long> Storms = Meter.CreateCounter<long>("helpdesk_storms_started", description: "Storm incidents opened because new problems passed the per-minute threshold.");
    private static readonly Counter<long> AgentActions = Meter.CreateCounter<long>(AgentActionsName, description: "Acknowledgements and resolves by helpdesk agents through the API, by action and outcome.");
    private static readonly Counter<long> SharedStateFailures = Meter.CreateCounter<long>(SharedStateFailuresName, description: "Reads and writes of the shared state (Redis) that failed, and connections to it lost; decisions fell back to the store.");
    private static readonly Counter<long> CommitConflicts = Meter.CreateCounter<long>("helpdesk_store_commit_conflicts",
        description: "Commits refused because another instance changed one of their incidents first; the batch was decided again.");

    private static readonly Counter<long> DeadLettersDropped = Meter.CreateCounter<long>(DeadLettersDroppedName,
        description: "Refused input not kept because the dead-letter folder was at its size bound (Helpdesk:DeadLetters:MaxBytes), or could not be written.");

    private static readonly Counter<long> CommitFailures = Meter.CreateCounter<long>("helpdesk_store_commit_failures", description: "Store commits that failed and were retried.");
    private static readonly Histogram<double> CommitLatency = Meter.CreateHistogram<double>(
        "helpdesk_ingest_commit_latency_seconds", unit: "s", description: "From a notification's arrival to its commit in the store.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    // Gauges are created once; the running service points them at its decider and store. The spool and Kafka own theirs.
    private static Func<double> _storeFailingSeconds = static () => 0;
    private static Func<long> _activeIncidents = static () => 0;
    private static Func<long> _stormActive = static () => 0;
    private static Func<long> _topologyHosts = static () => 0;
    private static readonly ObservableGauge<long> StormActive = Meter.CreateObservableGauge("helpdesk_storm_active", static () => _stormActive(), description: "1 while new problems are collected into a storm incident.");
    private static readonly ObservableGauge<long> TopologyHosts = Meter.CreateObservableGauge("helpdesk_topology_hosts", static () => _topologyHosts(), description: "Hosts with a parent or dependency in the loaded objects.cache.");
    private static readonly ObservableGauge<double> StoreFailing = Meter.CreateObservableGauge("helpdesk_store_failing_seconds", static () => _storeFailingSeconds(),
        unit: "s", description: "How long the store has gone without completing what was asked (failing, or stuck on a lock); a healthy store shows milliseconds.");

    private static readonly ObservableGauge<long> ActiveIncidents = Meter.CreateObservableGauge("helpdesk_active_incidents", static () => _activeIncidents(), description: "Incidents open or acknowledged.");

    public static void ObserveStoreFailing(Func<double> seconds) => _storeFailingSeconds = seconds;

    public static void ObserveActiveIncidents(Func<long> active) => _activeIncidents = active;

    public static void ObserveStorm(Func<long> active) => _stormActive = active;

    public static void ObserveTopology(Func<long> hosts) => _topologyHosts = hosts;

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
    /// What a committed batch did to incidents: resolves and closes (also by the clock, where no single notification's
    /// outcome says so), correlations, merges, escalations, breaches and storms. Opens and reopens are counted from
    /// the notifications' outcomes (<see cref="Committed"/>).
    /// </summary>
    public static void Happened(IReadOnlyList<IncidentEvent> events)
    {
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case IncidentEventKind.Resolved:
                    Resolved.Add(1);
                    break;
                case IncidentEventKind.Closed:
                    Closed.Add(1);
                    break;
                case IncidentEventKind.Correlated:
                    Correlated.Add(1);
                    break;
                case IncidentEventKind.Merged:
                    Merged.Add(1);
                    break;
                case IncidentEventKind.Escalated:
                    Escalations.Add(1);
                    break;
                case IncidentEventKind.Breached:
                    Breaches.Add(1);
                    break;
                case IncidentEventKind.StormStarted:
                    Storms.Add(1);
                    break;
            }
        }
    }

    public static void AgentActed(AgentActionKind kind, ApplyOutcome outcome) =>
        AgentActions.Add(1, new KeyValuePair<string, object?>("action", kind == AgentActionKind.Resolve ? "resolve" : "acknowledge"),
            new KeyValuePair<string, object?>("outcome", IncidentNames.Of(outcome)));

    public static void Rejected(RejectReason reason, string source) =>
        DeadLettered.Add(1, new KeyValuePair<string, object?>("reason", RejectReasons.Label(reason)), new KeyValuePair<string, object?>("source", source));

    public static void DeadLetterDropped(string source) => DeadLettersDropped.Add(1, new KeyValuePair<string, object?>("source", source));

    public static void CommitFailed() => CommitFailures.Add(1);

    public static void CommitConflicted() => CommitConflicts.Add(1);

    public static void SharedStateFailed(string operation) => SharedStateFailures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
