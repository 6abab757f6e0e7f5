using Helpdesk.Monitoring.Archive;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Monitoring.Hosting.Retention;

/// <summary>
/// Applies the retention policy every hour (<see cref="RunEvery"/>): closed incidents past <see cref="RetentionPolicy.ArchiveAfter"/> move
/// to the archive, and archived ones past their months are exported (when configured) and deleted. Small slices, one
/// transaction each, so a commit of new notifications never waits long behind it. The policy is asked at each run: a
/// reloaded rules file's retention applies from the next. Every step is idempotent, so
/// instances sharing a store may all run it, and a crash anywhere repeats a step rather than losing or doubling it.
/// </summary>
public sealed class IncidentArchiving(
    IIncidentArchive archive, IIncidentQueries queries, Func<RetentionPolicy> retention, ArchiveExport export, HelpdeskMetrics metrics,
    PipelineReadiness readiness, TimeProvider time, ILogger<IncidentArchiving> logger) : BackgroundService
{
    public const int Slice = 200;

    public const int ExpirySlice = 1_000;

    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>
    /// Every hour; more often when incidents are archived within a day of closing (soaks, tests): a tenth of
    /// ArchiveAfter, at least a minute, so an incident is never kept much longer than asked.
    /// </summary>
    public TimeSpan RunEvery => TimeSpan.FromTicks(Math.Clamp(retention().ArchiveAfter.Ticks / 10, TimeSpan.TicksPerMinute, Interval.Ticks));

    private long _archived;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.StoreOpen.WaitAsync(stoppingToken).ConfigureAwait(false);
        metrics.ObserveArchive(() => Interlocked.Read(ref _archived));
        var policy = retention();
        logger.LogInformation("Closed incidents move to the archive {Days:0.#} days after closing; archived incidents are {Expiry}",
            policy.ArchiveAfter.TotalDays,
            policy.KeepArchiveMonths == 0 ? "kept for ever"
            : $"{(policy.Expired == ExpiredArchive.Export ? "exported to " + export.Directory + " and then deleted" : "deleted")} {policy.KeepArchiveMonths} whole months after the month they closed in");
        using var timer = new PeriodicTimer(RunEvery, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Applying the retention policy failed; it is tried again within the hour and nothing was lost");
            }

            // A reloaded rules file may have changed ArchiveAfter, and with it how often to look (the new period counts
            // from now; an unchanged one keeps its rhythm).
            if (RunEvery is var every && every != timer.Period)
            {
                timer.Period = every;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Archives and expires everything due now; returns how many incidents moved and how many expired.</summary>
    public async Task<(long Archived, long Expired)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var policy = retention();
        var archived = await ArchiveAsync(policy.ArchiveCutoff(now), cancellationToken).ConfigureAwait(false);
        var expired = policy.ExpiryCutoff(now) is { } cutoff ? await ExpireAsync(cutoff, policy.Expired, cancellationToken).ConfigureAwait(false) : 0;
        Interlocked.Exchange(ref _archived, await archive.CountArchivedAsync(cancellationToken).ConfigureAwait(false));
        if (archived > 0 || expired > 0)
        {
            logger.LogInformation("Retention: {Archived} closed incidents moved to the archive, {Expired} archived incidents {Action}",
                archived, expired, policy.Expired == ExpiredArchive.Export ? "exported and deleted" : "deleted");
        }

        return (archived, expired);
    }

    private async Task<long> ArchiveAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var ids = await archive.ClosedBeforeAsync(closedBefore, Slice, cancellationToken).ConfigureAwait(false);
            var documents = new List<ArchivedIncident>(ids.Count);
            foreach (var id in ids)
            {
                // Closed incidents do not change any more: the detail read now is what the archive must hold.
                if (await queries.GetAsync(id, cancellationToken).ConfigureAwait(false) is { Incident.ClosedAt: { } closedAt } detail)
                {
                    var i = detail.Incident;
                    documents.Add(new ArchivedIncident(i.Id, i.Instance, i.Host, i.Service, i.Customer, i.OpenedAt, closedAt, ArchiveDocument.Encode(detail)));
                }
            }

            var moved = documents.Count == 0 ? 0 : await archive.MoveToArchiveAsync(documents, cancellationToken).ConfigureAwait(false);
            total += moved;
            metrics.Archived(moved);

            // A short slice was the last; one that moved nothing (another instance took it) would only repeat itself.
            if (ids.Count < Slice || moved == 0)
            {
                return total;
            }
        }
    }

    private async Task<long> ExpireAsync(DateTimeOffset closedBefore, ExpiredArchive expiredArchive, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var expired = await archive.ExpiredAsync(closedBefore, ExpirySlice, cancellationToken).ConfigureAwait(false);
            if (expired.Count == 0)
            {
                return total;
            }

            if (expiredArchive == ExpiredArchive.Export)
            {
                // On disk before anything is deleted: the delete below runs only once the file is whole and synced.
                export.Write(expired[0].Id, expired.Select(e => (ReadOnlyMemory<byte>)ArchiveDocument.Decompress(e.Document)));
            }

            var deleted = await archive.DeleteArchivedAsync([.. expired.Select(e => e.Id)], cancellationToken).ConfigureAwait(false);
            total += deleted;
            metrics.ArchiveExpired(deleted);
            if (expired.Count < ExpirySlice || deleted == 0)
            {
                return total;
            }
        }
    }
}
