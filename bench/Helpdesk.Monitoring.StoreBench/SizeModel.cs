using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Hosting;
using Helpdesk.Monitoring.Hosting.Retention;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helpdesk.Monitoring.StoreBench;

/// <summary>
/// Measures what the embedded store spends on each thing it keeps, live and archived, with the real decider, store
/// and archiving, and projects a year from it.
/// </summary>
internal static class SizeModel
{
    private static readonly string[] IncidentTables = ["incident", "incident_counter", "incident_description"];
    private static readonly string[] TimelineTables = ["timeline_before_outbox", "incident_event"];

    public static async Task<string> RunAsync(int incidents, string work)
    {
        var path = Path.Combine(work, "size.db");
        StoreFile.Delete(path);
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        long notifications;
        await using (var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path }))
        {
            await store.InitializeAsync(default);
            var estate = new Estate(store, start);
            await estate.RunAsync(incidents);
            notifications = estate.Notifications;
        }

        var counts = new[] { "incident", "timeline", "incident_member", "applied_event", "delivery" }.ToDictionary(t => t, t => StoreFile.Count(path, t));
        string[][] groups = [IncidentTables, TimelineTables, ["incident_member"], ["applied_event"], ["delivery"], ["archived_incident"]];
        var live = StoreFile.BytesByTable(path, groups);
        var liveFile = live[StoreFile.Total];

        // Sent: an incident with a delivery still waiting is not archived.
        using (var connection = StoreFile.Open(path))
        {
            StoreFile.Execute(connection, "UPDATE delivery SET state = 'sent', done_at = next_at");
        }

        await using (var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = path }))
        {
            await store.InitializeAsync(default);
            var readiness = new PipelineReadiness();
            readiness.StoreOpened();
            var archiving = new IncidentArchiving(store, store, () => new RetentionPolicy { ArchiveAfter = TimeSpan.FromDays(1), KeepArchiveMonths = 0 },
                new ArchiveExport(Path.Combine(work, "export")), new HelpdeskMetrics(), readiness, new FixedTime(start.AddDays(400)), NullLogger<IncidentArchiving>.Instance);
            await archiving.RunOnceAsync(default);
        }

        var archivedCount = StoreFile.Count(path, "archived_incident");
        var archived = StoreFile.BytesByTable(path, groups);
        var archivedFile = archived[StoreFile.Total];

        double Per(Dictionary<string, long> bytes, string[] group, long rows) => rows == 0 ? 0 : (double)bytes.GetValueOrDefault(group[0]) / rows;
        var perIncident = Per(live, IncidentTables, counts["incident"]);
        var perEntry = Per(live, TimelineTables, counts["timeline"]);
        var perMember = Per(live, ["incident_member"], counts["incident_member"]);
        var perApplied = Per(live, ["applied_event"], counts["applied_event"]);
        var perArchived = Per(archived, ["archived_incident"], archivedCount);
        var perDelivery = Per(live, ["delivery"], counts["delivery"]);
        var entries = (double)counts["timeline"] / counts["incident"];
        var members = (double)counts["incident_member"] / counts["incident"];
        var perProblem = (double)notifications / counts["incident"];
        var liveIncident = perIncident + entries * perEntry + members * perMember;

        var text = new StringBuilder();
        string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        string Mib(double v) => (v / 1048576).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
        text.AppendLine(CultureInfo.InvariantCulture, $"# Size model of the embedded store ({DateTime.UtcNow:yyyy-MM-dd})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/Helpdesk.Monitoring.StoreBench -- size --incidents {incidents}`: {N(counts["incident"])} incidents made by the real decider");
        text.AppendLine(CultureInfo.InvariantCulture, $"from {N(notifications)} notifications (each a problem acknowledged, recovered and closed; every {Estate.OutageEvery}th a server down with {Estate.ServicesPerServer} services as members),");
        text.AppendLine("committed to a SQLite file and measured compacted: each group of tables (with its indexes) is dropped in turn and the");
        text.AppendLine("file compacted again, its shrink being the group's bytes (free space inside pages counts). Then everything is archived by the");
        text.AppendLine("service's own retention loop and measured the same way.");
        text.AppendLine();
        text.AppendLine("| what | rows | bytes each |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| incident (row, counters, description, indexes) | {N(counts["incident"])} | {N(perIncident)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| timeline entry (entry and its outbox event) | {N(counts["timeline"])} | {N(perEntry)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| correlated member | {N(counts["incident_member"])} | {N(perMember)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| applied event id (idempotency, kept 7 days) | {N(counts["applied_event"])} | {N(perApplied)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| queued delivery (one per event and channel, kept 30 days after it is sent) | {N(counts["delivery"])} | {N(perDelivery)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **a live incident of this mix** ({entries:0.0} entries, {members:0.00} members) | | **{N(liveIncident)}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **an archived incident** (one compressed document with its timeline and members, indexes) | {N(archivedCount)} | **{N(perArchived)}** |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"The file, compacted: {Mib(liveFile)} with everything live, {Mib(archivedFile)} with everything archived.");
        text.AppendLine();
        text.AppendLine("## A year on one machine (defaults: live 90 days after closing, applied ids 7 days, deliveries 30 days, archive kept 24 months)");
        text.AppendLine();
        text.AppendLine("size after a year = 90 d × R × live incident + 7 d × R × notifications per incident × applied id");
        text.AppendLine("+ 30 d × R × entries per incident × delivery (one outbound channel) + 275 d × R × archived incident");
        text.AppendLine();
        text.AppendLine("| new problems a day (R) | live tables | archive after a year | database after a year |");
        text.AppendLine("|---|---|---|---|");
        foreach (var rate in new[] { 200, 1_000, 5_000, 20_000 })
        {
            var liveBytes = 90.0 * rate * liveIncident + 7.0 * rate * perProblem * perApplied + 30.0 * rate * entries * perDelivery;
            var archiveBytes = 275.0 * rate * perArchived;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {N(rate)} | {Mib(liveBytes)} | {Mib(archiveBytes)} | {Mib(liveBytes + archiveBytes)} |");
        }

        text.AppendLine();
        text.AppendLine("After 24 months the archive stops growing (expired months are deleted or exported); SQLite reuses the freed pages, so");
        text.AppendLine("the file keeps its high-water mark rather than shrinking (`VACUUM` returns the space, offline).");
        return text.ToString();
    }
}
