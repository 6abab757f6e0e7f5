using System.Diagnostics;
using System.Diagnostics.Metrics;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Telemetry;

/// <summary>
/// The service's instruments (System.Diagnostics.Metrics), named as they appear in Prometheus. Labels are bounded:
/// notification type, reject reason, duplicate kind, source. One instance per running service, handed to what counts;
/// the spool and Kafka keep their own gauges beside it, under the same meter name, where they run.
/// </summary>
public sealed class HelpdeskMetrics : IDisposable
{
    public const string MeterName = "Helpdesk.Monitoring";

    // The instruments with labels: HelpdeskMetricLabels declares their labels under these names.
    internal const string IngestedName = "helpdesk_notifications_ingested";
    internal const string DeadLetteredName = "helpdesk_notifications_dead_lettered";
    internal const string DuplicatesName = "helpdesk_duplicates_dropped";
    internal const string AgentActionsName = "helpdesk_agent_actions";
    internal const string SharedStateFailuresName = "helpdesk_shared_state_failures";
    internal const string DeadLettersDroppedName = "helpdesk_dead_letters_dropped";

    private readonly Meter _meter = new(MeterName, "1.0");
    private readonly Counter<long> _ingested;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _resolved;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _archived;
    private readonly Counter<long> _archiveExpired;
    private readonly Counter<long> _reopened;
    private readonly Counter<long> _correlated;
    private readonly Counter<long> _merged;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _breaches;
    private readonly Counter<long> _corrections;
    private readonly Counter<long> _reconciled;
    private readonly Counter<long> _storms;
    private readonly Counter<long> _agentActions;
    private readonly Counter<long> _sharedStateFailures;
    private readonly Counter<long> _commitConflicts;
    private readonly Counter<long> _deadLettersDropped;
    private readonly Counter<long> _commitFailures;
    private readonly Histogram<double> _commitLatency;
    private Func<double> _storeFailingSeconds = static () => 0;
    private Func<long> _activeIncidents = static () => 0;
    private Func<long> _stormActive = static () => 0;
    private Func<long> _downtimes = static () => 0;
    private Func<long> _earlyRecoveries = static () => 0;
    private Func<long> _topologyHosts = static () => 0;
    private Func<long> _archivedIncidents = static () => 0;
    private Func<long> _storeBytes = static () => 0;
    private Func<long> _ready = static () => 0;
    private Func<long> _rulesReloadSuccessful = static () => 1;
    private Func<long> _rulesLoadedAt = static () => 0;
    private readonly Counter<long> _ratings;

    public HelpdeskMetrics()
    {
        _ingested = _meter.CreateCounter<long>(IngestedName, description: "Notifications committed to the store, by notification type.");
        _deadLettered = _meter.CreateCounter<long>(DeadLetteredName, description: "Refused notifications written to the dead-letter area, by reason.");
        _duplicates = _meter.CreateCounter<long>(DuplicatesName, description: "Notifications that changed nothing but counters: redeliveries and repeats.");
        _opened = _meter.CreateCounter<long>("helpdesk_incidents_opened", description: "Incidents opened.");
        _resolved = _meter.CreateCounter<long>("helpdesk_incidents_resolved", description: "Incidents resolved by a recovery.");
        _closed = _meter.CreateCounter<long>("helpdesk_incidents_closed", description: "Incidents closed after the verification hold.");
        _archived = _meter.CreateCounter<long>("helpdesk_incidents_archived", description: "Closed incidents moved from the live tables to the archive by the retention policy.");
        _archiveExpired = _meter.CreateCounter<long>("helpdesk_archive_expired", description: "Archived incidents deleted (after export, when configured) because their months ran out.");
        _reopened = _meter.CreateCounter<long>("helpdesk_incidents_reopened", description: "Resolved incidents reopened within the reopen window.");
        _correlated = _meter.CreateCounter<long>("helpdesk_alerts_correlated", description: "New problems that joined an existing incident by a correlation rule (host, parent, dependency, group, storm).");
        _merged = _meter.CreateCounter<long>("helpdesk_incidents_merged", description: "Incidents merged into the incident of their cause (counted once per merged incident).");
        _escalations = _meter.CreateCounter<long>("helpdesk_escalations", description: "Incidents moved up a tier (L1 window passed, or an SLA target breached).");
        _breaches = _meter.CreateCounter<long>("helpdesk_sla_breaches", description: "SLA targets (response or resolution) breached.");
        _reconciled = _meter.CreateCounter<long>(HelpdeskMetricLabels.ReconciledName,
            description: "Notifications reconciliation put in from Nagios' status.dat because none arrived, by decision.");
        _corrections = _meter.CreateCounter<long>("helpdesk_sla_corrections",
            description: "Breaches taken back: an acknowledgement or recovery that arrived late had happened before the deadline, by Nagios' time.");
        _storms = _meter.CreateCounter<long>("helpdesk_storms_started", description: "Storm incidents opened because new problems passed the per-minute threshold.");
        _agentActions = _meter.CreateCounter<long>(AgentActionsName, description: "What people did to incidents (board, CLI, API, customers' links), by action and outcome.");
        _sharedStateFailures = _meter.CreateCounter<long>(SharedStateFailuresName, description: "Reads and writes of the shared state (Redis) that failed, and connections to it lost; decisions fell back to the store.");
        _commitConflicts = _meter.CreateCounter<long>("helpdesk_store_commit_conflicts",
            description: "Commits refused because another instance changed one of their incidents first; the batch was decided again.");
        _deadLettersDropped = _meter.CreateCounter<long>(DeadLettersDroppedName,
            description: "Refused input not kept because the dead-letter folder was at its size bound (Helpdesk:DeadLetters:MaxBytes), or could not be written.");
        _commitFailures = _meter.CreateCounter<long>("helpdesk_store_commit_failures", description: "Store commits that failed and were retried.");
        _commitLatency = _meter.CreateHistogram<double>(
            "helpdesk_ingest_commit_latency_seconds", unit: "s", description: "From a notification's arrival to its commit in the store.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _meter.CreateObservableGauge("helpdesk_storm_active", () => _stormActive(), description: "1 while new problems are collected into a storm incident.");
        _meter.CreateObservableGauge("helpdesk_archived_incidents", () => _archivedIncidents(), description: "Incidents in the archive, as counted after the last retention run.");
        _meter.CreateObservableGauge("helpdesk_store_size_bytes", () => _storeBytes(), unit: "By", description: "The embedded store's files (database and write-ahead log); 0 for SQL Server.");
        _meter.CreateObservableGauge("helpdesk_rules_reload_successful", () => _rulesReloadSuccessful(),
            description: "0 when the last reload of the rules file was refused (the rules read before stay in force), else 1.");
        _meter.CreateObservableGauge("helpdesk_rules_loaded_timestamp_seconds", () => _rulesLoadedAt(),
            unit: "s", description: "When the rules in force were read from the rules file (Unix time); 0 without a rules file.");
        _meter.CreateObservableGauge("helpdesk_topology_hosts", () => _topologyHosts(), description: "Hosts with a parent or dependency in the loaded objects.cache.");
        _meter.CreateObservableGauge("helpdesk_store_failing_seconds", () => _storeFailingSeconds(),
            unit: "s", description: "How long the store has gone without completing what was asked (failing, or stuck on a lock); a healthy store shows milliseconds.");
        _meter.CreateObservableGauge("helpdesk_active_incidents", () => _activeIncidents(), description: "Incidents open or acknowledged.");
        _meter.CreateObservableGauge("helpdesk_scheduled_downtimes", () => _downtimes(),
            description: "Hosts and services in scheduled downtime (from DOWNTIMESTART to its end), as this instance knows them.");
        _meter.CreateObservableGauge("helpdesk_early_recoveries", () => _earlyRecoveries(),
            description: "Recoveries that arrived before their problem and wait for it; one that keeps growing means problems are not arriving.");
        _ratings = _meter.CreateCounter<long>(HelpdeskMetricLabels.SatisfactionName, description: "Customers' answers to the satisfaction question after closure, by team and score (1 to 5).");
        _meter.CreateObservableGauge("helpdesk_ready", () => _ready(), description: "1 while the service has rebuilt its state, consumes, and its store commits (what /readyz says); 0 otherwise.");
    }

    /// <summary>The meter the instruments are on: a test listens to exactly this service's instruments through it.</summary>
    public Meter Meter => _meter;

    // The running service points these gauges at what they read (its decider, its store, the topology); until then
    // they read zero, as a service that has not started deciding has nothing active.
    public void ObserveStoreFailing(Func<double> seconds) => _storeFailingSeconds = seconds;

    public void ObserveActiveIncidents(Func<long> active) => _activeIncidents = active;

    public void ObserveStorm(Func<long> active) => _stormActive = active;

    /// <summary>What the decider remembers beside the incidents: objects in downtime, recoveries waiting for their problem.</summary>
    public void ObserveRemembered(Func<long> downtimes, Func<long> earlyRecoveries) => (_downtimes, _earlyRecoveries) = (downtimes, earlyRecoveries);

    public void ObserveTopology(Func<long> hosts) => _topologyHosts = hosts;

    public void ObserveRules(Func<long> reloadSuccessful, Func<long> loadedAtUnixSeconds) => (_rulesReloadSuccessful, _rulesLoadedAt) = (reloadSuccessful, loadedAtUnixSeconds);

    public void ObserveArchive(Func<long> archived) => _archivedIncidents = archived;

    public void ObserveStoreSize(Func<long> bytes) => _storeBytes = bytes;

    public void ObserveReady(Func<long> ready) => _ready = ready;

    /// <summary>Reconciliation with Nagios' status.dat put in a notification that never arrived.</summary>
    public void Reconciled(string decision) => _reconciled.Add(1, new KeyValuePair<string, object?>("decision", decision));

    /// <summary>A customer answered the satisfaction question: counted per team and score (an average is sum over count).</summary>
    public void Rated(string team, int score) =>
        _ratings.Add(1, new KeyValuePair<string, object?>("team", team.Length > 0 ? team : "none"), new KeyValuePair<string, object?>("score", score.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void Dispose() => _meter.Dispose();

    /// <summary><paramref name="count"/> notifications of one type committed with one outcome (a batch counts each pair once).</summary>
    public void Committed(NotificationType type, ApplyOutcome outcome, int count)
    {
        _ingested.Add(count, new KeyValuePair<string, object?>("type", NagiosNames.Of(type)));
        switch (outcome)
        {
            case ApplyOutcome.Redelivered:
                _duplicates.Add(count, new KeyValuePair<string, object?>("kind", "redelivery"));
                break;
            case ApplyOutcome.Repeated:
                _duplicates.Add(count, new KeyValuePair<string, object?>("kind", "repeat"));
                break;
            case ApplyOutcome.Opened:
                _opened.Add(count);
                break;
            case ApplyOutcome.Reopened:
                _reopened.Add(count);
                break;
        }
    }

    /// <summary>One notification's time from arrival to its commit.</summary>
    public void CommitTook(long receivedTimestamp) => _commitLatency.Record(Stopwatch.GetElapsedTime(receivedTimestamp).TotalSeconds);

    /// <summary>
    /// What a committed batch did to incidents: resolves and closes (also by the clock, where no single notification's
    /// outcome says so), correlations, merges, escalations, breaches and storms. Opens and reopens are counted from
    /// the notifications' outcomes (<see cref="Committed"/>).
    /// </summary>
    public void Happened(IReadOnlyList<IncidentEvent> events)
    {
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case IncidentEventKind.Resolved:
                    _resolved.Add(1);
                    break;
                case IncidentEventKind.Closed:
                    _closed.Add(1);
                    break;
                case IncidentEventKind.Correlated:
                    _correlated.Add(1);
                    break;
                case IncidentEventKind.Merged:
                    _merged.Add(1);
                    break;
                case IncidentEventKind.Escalated:
                    _escalations.Add(1);
                    break;
                case IncidentEventKind.Breached:
                    _breaches.Add(1);
                    break;
                case IncidentEventKind.SlaCorrected:
                    _corrections.Add(1);
                    break;
                case IncidentEventKind.StormStarted:
                    _storms.Add(1);
                    break;
            }
        }
    }

    public void AgentActed(AgentActionKind kind, ApplyOutcome outcome) =>
        _agentActions.Add(1, new KeyValuePair<string, object?>("action", HelpdeskMetricLabels.ActionName(kind)),
            new KeyValuePair<string, object?>("outcome", IncidentNames.Of(outcome)));

    public void Rejected(RejectReason reason, string source) =>
        _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", RejectReasons.Label(reason)), new KeyValuePair<string, object?>("source", source));

    public void DeadLetterDropped(string source) => _deadLettersDropped.Add(1, new KeyValuePair<string, object?>("source", source));

    public void CommitFailed() => _commitFailures.Add(1);

    public void Archived(long count) => _archived.Add(count);

    public void ArchiveExpired(long count) => _archiveExpired.Add(count);

    public void CommitConflicted() => _commitConflicts.Add(1);

    public void SharedStateFailed(string operation) => _sharedStateFailures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
