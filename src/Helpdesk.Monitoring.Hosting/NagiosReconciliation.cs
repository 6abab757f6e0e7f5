using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Reconciliation;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting;

/// <summary>
/// Reconciles the incidents with each configured Nagios instance's status.dat (Helpdesk:Nagios:StatusFiles): what a
/// lost notification left wrong is put right by the notification Nagios would have sent, marked as reconciled, through
/// the pipeline like any other (so it is decided, committed, announced and idempotent the same way). A status file is
/// read again only when it changed; with none configured the service does nothing here.
/// </summary>
public sealed class NagiosReconciliation(
    IOptions<HelpdeskOptions> options, IIncidentQueries queries, HttpIngest ingest, PipelineReadiness readiness, HelpdeskMetrics metrics,
    TimeProvider time, ILogger<NagiosReconciliation> logger) : BackgroundService
{
    private readonly Dictionary<string, (DateTime, long)> _read = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _warned = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nagios = options.Value.Nagios;
        if (nagios.StatusFiles.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(nagios.ReconcileInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!readiness.IsReady)
            {
                continue;
            }

            foreach (var (instance, path) in nagios.StatusFiles)
            {
                try
                {
                    await ReconcileAsync(instance, path, nagios.ReconcileGrace, stoppingToken);
                    _warned.Remove(instance);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Once per reason, not every round: a file this user may not read stays so until someone changes it.
                    if (_warned.GetValueOrDefault(instance) != ex.Message)
                    {
                        _warned[instance] = ex.Message;
                        logger.LogWarning("Cannot read Nagios' status file {Path} (instance {Instance}): {Reason}; reconciliation waits for it", path, instance, ex.Message);
                    }
                }
            }
        }
    }

    private async Task ReconcileAsync(string instance, string path, TimeSpan grace, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return;
        }

        // Unchanged since a read that left nothing to do: nothing new to look at (the grace period counts from the state
        // change, so a file Nagios rewrites every few seconds is read again soon enough).
        var version = (info.LastWriteTimeUtc, info.Length);
        if (_read.TryGetValue(instance, out var seen) && seen == version)
        {
            return;
        }

        if (LocalFiles.RefusalToRead(path) is { } refusal)
        {
            throw new IOException(refusal);
        }

        IReadOnlyList<ObjectStatus> status;
        using (var reader = new StreamReader(path))
        {
            status = StatusDatReader.Read(reader);
        }

        var decisions = Reconciler.Decide(instance, status, await LiveAsync(instance, cancellationToken), time.GetUtcNow(), grace);
        if (decisions.Count == 0)
        {
            _read[instance] = version;
            return;
        }

        _read.Remove(instance);
        foreach (var decision in decisions)
        {
            var record = NotificationWriter.ToUtf8(decision.Notification);
            if (!NotificationParser.TryParse(record, out var fields, out var failure) || !ingest.TryReserve(1))
            {
                logger.LogWarning("Reconciliation could not queue its {Kind} for {Host} {Service}: {Reason}", decision.Kind, decision.Notification.Host,
                    decision.Notification.Service, failure.Message.Length > 0 ? failure.Message : "the pipeline is full; next round");
                continue;
            }

            var receipt = new RequestReceipt(ingest, 1);
            ingest.Push(new InboundNotification(record, in fields, receipt));
            await receipt.Done.WaitAsync(cancellationToken);
            if (receipt.Duplicates == 0)
            {
                metrics.Reconciled(decision.Kind);
                logger.LogInformation("Reconciled with Nagios instance {Instance}: {Kind} for {Host} {Service}", instance, decision.Kind,
                    decision.Notification.Host, decision.Notification.Service);
            }
        }
    }

    /// <summary>The instance's open and acknowledged incidents, with every alert each holds.</summary>
    private async Task<IReadOnlyList<LiveView>> LiveAsync(string instance, CancellationToken cancellationToken)
    {
        var views = new List<LiveView>();
        for (var page = 1; ; page++)
        {
            var result = await queries.ListAsync(new IncidentQuery
            {
                Statuses = [IncidentStatus.Open, IncidentStatus.Acknowledged],
                Page = page,
                PageSize = IncidentQuery.MaxPageSize,
            }, cancellationToken);
            for (var i = 0; i < result.Items.Count; i++)
            {
                var incident = result.Items[i];
                var alerts = new List<(string, string)>();
                (string, string)? cause = incident.Host.Length > 0 && incident.Instance == instance ? (incident.Host, incident.Service) : null;
                if (cause is { } c)
                {
                    alerts.Add(c);
                }

                if (i < result.MemberCounts.Count && result.MemberCounts[i] > 0 && await queries.GetAsync(incident.Id, cancellationToken) is { } detail)
                {
                    alerts.AddRange(detail.Members.Where(m => m.Instance == instance).Select(m => (m.Host, m.Service)));
                }

                if (alerts.Count > 0)
                {
                    views.Add(new LiveView(cause, alerts, incident.Status == IncidentStatus.Acknowledged, incident.InMaintenance));
                }
            }

            if ((long)page * result.PageSize >= result.Total)
            {
                return views;
            }
        }
    }
}
