using Helpdesk.Monitoring.Ports;
using System.Globalization;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.SqlServer;

/// <summary>
/// Every T-SQL text the SQL Server store sends, in one place. No SQL Server runs on the build machines, so the tests
/// parse each of these (<see cref="All"/>) with SQL Server's own parser: a syntax error cannot land unseen.
/// </summary>
internal static class SqlServerStatements
{
    // What an update rewrites: the changing columns, and the counters (added to, see SetMutableAdding).
    private static readonly string[] Mutable =
        [.. IncidentColumns.All.Where(c => c.Role is ColumnRole.Changing or ColumnRole.Counter).Select(c => c.Name)];

    private static readonly string SetMutable = string.Join(", ", Mutable.Select(c => $"{c} = n.{c}"));

    // An update's alert_count carries the alerts its batch added (instances counting on one incident each add theirs).
    private static readonly string SetMutableAdding = string.Join(", ", Mutable.Select(c => c switch
    {
        "alert_count" => "alert_count = i.alert_count + n.alert_count",
        "last_seen_at" => "last_seen_at = CASE WHEN n.last_seen_at > i.last_seen_at THEN n.last_seen_at ELSE i.last_seen_at END",
        _ => $"{c} = n.{c}",
    }));

    private const string EventColumns = "incident_id, seq, event_id, kind, at, cause, status, priority, tier, state, alert_count, merged_into, text";

    public static readonly string Commit = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        IF EXISTS (SELECT 1 FROM dbo.applied_event a WITH (UPDLOCK, HOLDLOCK) JOIN @events e ON e.event_id = a.event_id)
        BEGIN
            SELECT a.event_id, CAST(NULL AS bigint) FROM dbo.applied_event a JOIN @events e ON e.event_id = a.event_id;
            ROLLBACK TRANSACTION;
            RETURN;
        END;
        -- A timeline entry already at a sequence this plan wants, of another kind or event: another instance changed
        -- the incident since this one read it (the same kind without an event is the same clock decision, written twice).
        IF EXISTS (SELECT 1 FROM @timeline n JOIN dbo.timeline x WITH (UPDLOCK, HOLDLOCK) ON x.incident_id = n.incident_id AND x.seq = n.seq
                   WHERE x.kind <> n.kind OR ISNULL(x.event_id, 0x) <> ISNULL(n.event_id, 0x))
        BEGIN
            SELECT DISTINCT CAST(NULL AS binary(16)), n.incident_id FROM @timeline n JOIN dbo.timeline x ON x.incident_id = n.incident_id AND x.seq = n.seq
                WHERE x.kind <> n.kind OR ISNULL(x.event_id, 0x) <> ISNULL(n.event_id, 0x);
            ROLLBACK TRANSACTION;
            RETURN;
        END;
        INSERT dbo.applied_event (event_id, incident_id, outcome, applied_at, event_ms)
            SELECT event_id, incident_id, outcome, applied_at, event_ms FROM @events;
        UPDATE i SET alert_count = i.alert_count + c.alert_count,
            last_seen_at = CASE WHEN c.last_seen_at > i.last_seen_at THEN c.last_seen_at ELSE i.last_seen_at END
            FROM dbo.incident i JOIN @counters c ON c.id = i.id;
        UPDATE i SET {SetMutableAdding} FROM dbo.incident i JOIN @updates n ON n.id = i.id;
        IF EXISTS (SELECT 1 FROM @inserts n JOIN dbo.incident x ON x.id = n.id
                   WHERE x.instance <> n.instance OR x.host <> n.host OR x.service <> n.service OR x.opened_at <> n.opened_at)
            THROW 51000, 'incident id taken by another incident (another instance allocated it); rebuilding state', 1;
        UPDATE i SET {SetMutable} FROM dbo.incident i JOIN @inserts n ON n.id = i.id;
        INSERT dbo.incident ({IncidentColumns.List})
            SELECT {IncidentColumns.List} FROM @inserts n WHERE NOT EXISTS (SELECT 1 FROM dbo.incident x WHERE x.id = n.id);
        MERGE dbo.incident_member AS t
        USING @members AS s ON t.incident_id = s.incident_id AND t.member_key = s.member_key
        WHEN MATCHED THEN UPDATE SET state = s.state, recovered = s.recovered, problem_id = s.problem_id, alert_count = s.alert_count,
            last_seen_at = s.last_seen_at, last_output = s.last_output
        WHEN NOT MATCHED THEN INSERT (incident_id, member_key, instance, host, service, rule_name, correlation_key, state, recovered,
            problem_id, alert_count, joined_at, last_seen_at, last_output, customer)
            VALUES (s.incident_id, s.member_key, s.instance, s.host, s.service, s.rule_name, s.correlation_key, s.state, s.recovered,
            s.problem_id, s.alert_count, s.joined_at, s.last_seen_at, s.last_output, s.customer);
        INSERT dbo.timeline (incident_id, seq, at, kind, event_id, text)
            SELECT incident_id, seq, at, kind, event_id, text FROM @timeline n
            WHERE NOT EXISTS (SELECT 1 FROM dbo.timeline x WHERE x.incident_id = n.incident_id AND x.seq = n.seq);
        INSERT dbo.incident_event ({EventColumns})
            SELECT {EventColumns} FROM @incident_events n
            WHERE NOT EXISTS (SELECT 1 FROM dbo.incident_event x WHERE x.incident_id = n.incident_id AND x.seq = n.seq);
        INSERT dbo.delivery (channel, event_id, incident_id, seq, state, foldable, attempts, queued_at, next_at, last_error)
            SELECT channel, event_id, incident_id, seq, 'pending', foldable, 0, queued_at, next_at, N'' FROM @deliveries n
            WHERE NOT EXISTS (SELECT 1 FROM dbo.delivery x WHERE x.channel = n.channel AND x.event_id = n.event_id);
        MERGE dbo.scheduled_downtime AS t
        USING (SELECT object_key, instance, host, service, since FROM @downtimes WHERE since IS NOT NULL) AS s ON t.object_key = s.object_key
        WHEN MATCHED THEN UPDATE SET since = s.since
        WHEN NOT MATCHED THEN INSERT (object_key, instance, host, service, since) VALUES (s.object_key, s.instance, s.host, s.service, s.since);
        DELETE t FROM dbo.scheduled_downtime t JOIN @downtimes s ON s.object_key = t.object_key WHERE s.since IS NULL;
        MERGE dbo.early_recovery AS t
        USING (SELECT * FROM @recoveries WHERE held = 1) AS s ON t.object_key = s.object_key
        WHEN MATCHED THEN UPDATE SET reported_at = s.reported_at, problem_id = s.problem_id, output = s.output, state = s.state, event_id = s.event_id
        WHEN NOT MATCHED THEN INSERT (object_key, instance, host, service, reported_at, problem_id, output, state, event_id)
            VALUES (s.object_key, s.instance, s.host, s.service, s.reported_at, s.problem_id, s.output, s.state, s.event_id);
        DELETE t FROM dbo.early_recovery t JOIN @recoveries s ON s.object_key = t.object_key WHERE s.held = 0;
        COMMIT TRANSACTION;
        """;

    // Claims a channel's due deliveries (of each incident the first waiting one) and, behind each foldable one, the
    // foldable run up to the incident's next event that is not; READPAST lets instances claim side by side.
    public const string ClaimDeliveries = """
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        DECLARE @claimed TABLE (event_id BINARY(16) NOT NULL, incident_id BIGINT NOT NULL, seq INT NOT NULL, foldable BIT NOT NULL);
        DECLARE @run TABLE (event_id BINARY(16) NOT NULL, incident_id BIGINT NOT NULL, seq INT NOT NULL);
        WITH due AS (
            SELECT TOP (@limit) d.* FROM dbo.delivery d WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE d.channel = @channel AND d.state = 'pending' AND d.next_at <= @now
              AND NOT EXISTS (SELECT 1 FROM dbo.delivery p WHERE p.channel = d.channel AND p.incident_id = d.incident_id
                              AND p.state = 'pending' AND p.seq < d.seq)
            ORDER BY d.next_at, d.incident_id, d.seq)
        UPDATE due SET next_at = @lease, attempts = attempts + 1
            OUTPUT inserted.event_id, inserted.incident_id, inserted.seq, inserted.foldable INTO @claimed;
        UPDATE r SET next_at = @lease, attempts = r.attempts + 1
            OUTPUT inserted.event_id, inserted.incident_id, inserted.seq INTO @run
            FROM dbo.delivery r JOIN @claimed c ON c.incident_id = r.incident_id AND c.foldable = 1
            WHERE r.channel = @channel AND r.state = 'pending' AND r.seq > c.seq AND r.foldable = 1
              AND r.seq < COALESCE((SELECT MIN(x.seq) FROM dbo.delivery x WHERE x.channel = @channel AND x.incident_id = c.incident_id
                                    AND x.state = 'pending' AND x.seq > c.seq AND x.foldable = 0), 2147483647);
        COMMIT TRANSACTION;
        SELECT event_id, incident_id, seq, foldable, CAST(0 AS BIT) FROM @claimed
        UNION ALL SELECT event_id, incident_id, seq, CAST(1 AS BIT), CAST(1 AS BIT) FROM @run;
        """;

    public const string ClaimedDelivery = """
        SELECT d.attempts, d.queued_at, e.event_id, e.kind, e.at, e.incident_id, e.seq, e.cause, e.status, e.priority, e.tier, e.state,
               e.alert_count, e.merged_into, e.text, i.title, i.team, i.customer, i.host, i.service,
               i.sla_calendar, i.sla_started_at, i.response_due_at, i.resolution_due_at, i.response_breached, i.resolution_breached,
               i.sla_paused_at, i.escalations, CASE WHEN e.kind IN ('opened', 'reopened') THEN i.description ELSE N'' END
        FROM dbo.delivery d JOIN dbo.incident_event e ON e.incident_id = d.incident_id AND e.seq = d.seq JOIN dbo.incident i ON i.id = d.incident_id
        WHERE d.channel = @channel AND d.event_id = @id
        """;

    public const string NextDelivery = """
        SELECT MIN(d.next_at) FROM dbo.delivery d
        WHERE d.channel = @channel AND d.state = 'pending'
          AND NOT EXISTS (SELECT 1 FROM dbo.delivery p WHERE p.channel = d.channel AND p.incident_id = d.incident_id AND p.state = 'pending' AND p.seq < d.seq)
        """;

    public const string MarkSent =
        "UPDATE d SET state = 'sent', done_at = @at, last_error = N'' FROM dbo.delivery d JOIN @ids i ON i.event_id = d.event_id WHERE d.channel = @channel";

    public const string MarkRetry =
        "UPDATE d SET next_at = @at, last_error = LEFT(@error, 2000) FROM dbo.delivery d JOIN @ids i ON i.event_id = d.event_id WHERE d.channel = @channel AND d.state = 'pending'";

    public const string MarkDead =
        "UPDATE d SET state = 'dead', done_at = @at, last_error = LEFT(@error, 2000) FROM dbo.delivery d JOIN @ids i ON i.event_id = d.event_id WHERE d.channel = @channel AND d.state = 'pending'";

    // Back to waiting, with a fresh count of attempts; the note says who did it, in front of the receiver's last answer.
    private const string RequeueSet = "state = 'pending', attempts = 0, next_at = @now, done_at = NULL, last_error = LEFT(@note + N'; before: ' + last_error, 2000)";

    public const string RequeueDead =
        "UPDATE d SET " + RequeueSet + " FROM dbo.delivery d JOIN @ids i ON i.event_id = d.event_id WHERE d.channel = @channel AND d.state = 'dead'";

    public const string RequeueOldestDead = """
        WITH oldest AS (SELECT TOP (@limit) * FROM dbo.delivery WHERE channel = @channel AND state = 'dead' ORDER BY queued_at, incident_id, seq)
        UPDATE oldest SET
        """ + " " + RequeueSet;

    public const string DeliveryBacklog = """
        SELECT channel, SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END)
        FROM dbo.delivery WHERE state IN ('pending', 'dead') GROUP BY channel ORDER BY channel
        """;

    public static string ListDeliveries(bool oneChannel) => $"""
        SELECT TOP (@limit) d.channel, d.event_id, d.incident_id, e.kind, d.state, d.attempts, d.queued_at, d.next_at, d.done_at, d.last_error
        FROM dbo.delivery d JOIN dbo.incident_event e ON e.incident_id = d.incident_id AND e.seq = d.seq
        WHERE d.state = @state{(oneChannel ? " AND d.channel = @channel" : "")}
        ORDER BY d.queued_at DESC, d.incident_id DESC, d.seq DESC
        """;

    public static readonly string LoadLive = $"SELECT {IncidentColumns.List} FROM dbo.incident WHERE status <> 'closed' ORDER BY id";

    public static readonly string LoadLiveMembers =
        $"SELECT {SqlServerRows.MemberColumns} FROM dbo.incident_member WHERE incident_id IN (SELECT id FROM dbo.incident WHERE status <> 'closed')";

    public const string LoadDowntimes = "SELECT instance, host, service, since FROM dbo.scheduled_downtime";

    public const string LoadEarlyRecoveries = "SELECT instance, host, service, reported_at, problem_id, output, state, event_id FROM dbo.early_recovery";

    // Numbers are never given twice: the highest may be archived already.
    public const string LoadHighestIds = "SELECT (SELECT MAX(id) FROM (SELECT COALESCE((SELECT MAX(id) FROM dbo.incident), 0) AS id "
        + "UNION ALL SELECT COALESCE((SELECT MAX(id) FROM dbo.archived_incident), 0)) AS ids), COALESCE((SELECT MAX(event_ms) FROM dbo.applied_event), 0)";

    public const string ClosedBefore =
        "SELECT TOP (@max) id FROM dbo.incident WHERE status = 'closed' AND closed_at < @cutoff "
        + "AND id NOT IN (SELECT incident_id FROM dbo.delivery WHERE state = 'pending') ORDER BY closed_at";

    /// <summary>
    /// One incident into the archive, in the caller's transaction: only while it is closed, only once (another instance
    /// may be moving it too), and its live rows with it.
    /// </summary>
    public const string MoveToArchive = """
        IF EXISTS (SELECT 1 FROM dbo.incident WITH (UPDLOCK, HOLDLOCK) WHERE id = @id AND status = 'closed')
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM dbo.archived_incident WITH (UPDLOCK, HOLDLOCK) WHERE id = @id)
                INSERT INTO dbo.archived_incident (id, instance, host, service, customer, opened_at, closed_at, document)
                VALUES (@id, @instance, @host, @service, @customer, @opened, @closed, @document);
            DELETE FROM dbo.timeline WHERE incident_id = @id;
            DELETE FROM dbo.incident_member WHERE incident_id = @id;
            DELETE FROM dbo.incident_event WHERE incident_id = @id;
            DELETE FROM dbo.incident WHERE id = @id;
            SELECT 1;
        END
        ELSE
            SELECT 0;
        """;

    public const string ArchivedColumns = "id, instance, host, service, customer, opened_at, closed_at, document";

    public const string ExpiredArchive = $"SELECT TOP (@max) {ArchivedColumns} FROM dbo.archived_incident WHERE closed_at < @cutoff ORDER BY id";

    public const string DeleteArchived = "DELETE FROM dbo.archived_incident WHERE id = @id";

    public const string CountArchived = "SELECT COUNT_BIG(*) FROM dbo.archived_incident";

    public const string ArchivedDocument = "SELECT document FROM dbo.archived_incident WHERE id = @id";

    public const string ArchivedCustomerFilter = "customer_key = LEFT(@customer, 400) AND customer = @customer";

    public static string CountArchivedMatching(string filter) => $"SELECT COUNT_BIG(*) FROM dbo.archived_incident{filter}";

    public static string PageArchived(string filter) =>
        $"SELECT a.document FROM dbo.archived_incident a WHERE a.id IN (SELECT id FROM dbo.archived_incident{filter} "
        + "ORDER BY opened_at DESC, id DESC OFFSET @offset ROWS FETCH NEXT @limit ROWS ONLY) ORDER BY a.opened_at DESC, a.id DESC";

    public const string FindApplied = "SELECT a.event_id FROM dbo.applied_event a JOIN @ids i ON i.event_id = a.event_id";

    public const string PruneApplied =
        "DELETE TOP (@max) FROM dbo.applied_event WHERE event_id < @prefix AND event_ms IS NOT NULL AND event_ms < @cutoff AND applied_at < @cutoff";

    public const string PruneDoneDeliveries =
        "DELETE TOP (@max) FROM dbo.delivery WHERE state IN ('sent', 'dead') AND done_at < @cutoff";

    /// <summary>"column IN (@column0, @column1, ...)" for <paramref name="count"/> values.</summary>
    public static string InFilter(string column, int count) =>
        $"{column} IN ({string.Join(", ", Enumerable.Range(0, count).Select(i => $"@{column}{i}"))})";

    // The indexed prefix narrows, the whole value decides.
    public const string CustomerFilter = "customer_key = LEFT(@customer, 400) AND customer = @customer";

    public const string HostFilter = "host = @host";


    public static string Where(IReadOnlyCollection<string> clauses) => clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);

    public static string CountIncidents(string filter) => $"SELECT COUNT_BIG(*) FROM dbo.incident{filter}";

    // The page's ids are chosen on the narrow key columns first; only those rows are read whole (see the SQLite store).
    public static string PageIncidents(string filter, string orderBy) =>
        $"SELECT {IncidentColumns.List}, (SELECT COUNT(*) FROM dbo.incident_member m WHERE m.incident_id = i.id) AS member_count FROM dbo.incident i "
        + $"WHERE i.id IN (SELECT id FROM dbo.incident{filter} ORDER BY {orderBy} OFFSET @offset ROWS FETCH NEXT @limit ROWS ONLY) ORDER BY {orderBy}";

    // Two instances taking the same answer at once: the key keeps one, the other inserts nothing (no error).
    public const string RecordSatisfaction = """
        INSERT INTO dbo.satisfaction (incident_id, score, comment, contact, team, at)
        SELECT @id, @score, @comment, @contact, @team, @at
        WHERE NOT EXISTS (SELECT 1 FROM dbo.satisfaction WITH (UPDLOCK, HOLDLOCK) WHERE incident_id = @id)
        """;

    public const string GetSatisfaction = "SELECT score, comment, contact, team, at FROM dbo.satisfaction WHERE incident_id = @id";

    public static readonly string GetIncident = $"SELECT {IncidentColumns.List} FROM dbo.incident WHERE id = @id";

    public const string GetTimeline = "SELECT incident_id, seq, at, kind, event_id, text FROM dbo.timeline WHERE incident_id = @id ORDER BY seq";

    public const string GetEvents = $"SELECT {EventColumns} FROM dbo.incident_event WHERE incident_id = @id ORDER BY seq";

    public static readonly string GetMembers = $"SELECT {SqlServerRows.MemberColumns} FROM dbo.incident_member WHERE incident_id = @id ORDER BY joined_at, host, service";

    public static readonly string History =
        $"SELECT TOP (@limit) {IncidentColumns.List} FROM dbo.incident WHERE host = @host AND customer_key = LEFT(@customer, 400) "
        + "AND customer = @customer AND id < @id ORDER BY opened_at DESC, id DESC";

    public const string SchemaLock = "EXEC sp_getapplock @Resource = 'helpdesk-schema', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 60000";

    public const string SchemaVersionTable = "IF OBJECT_ID('dbo.schema_version') IS NULL CREATE TABLE dbo.schema_version (version INT NOT NULL)";

    public const string SchemaVersion = "SELECT COALESCE(MAX(version), 0) FROM dbo.schema_version";

    public static string RecordVersion(int version) => string.Create(CultureInfo.InvariantCulture, $"INSERT INTO dbo.schema_version (version) VALUES ({version})");

    /// <summary>Every statement, by name: each migration statement, and each query with every filter and none.</summary>
    public static IEnumerable<(string Name, string Sql)> All()
    {
        for (var m = 0; m < SqlServerSchema.Migrations.Length; m++)
        {
            var n = 0;
            foreach (var statement in SqlServerSchema.Statements(SqlServerSchema.Migrations[m]))
            {
                yield return ($"migration {m + 1}, statement {++n}", statement);
            }
        }

        string[] filters = [InFilter("status", 2), CustomerFilter, HostFilter, InFilter("priority", 3), "team = @team", "tier = @tier", "assigned_to = @assigned_to"];
        yield return (nameof(Commit), Commit);
        yield return (nameof(ClaimDeliveries), ClaimDeliveries);
        yield return (nameof(ClaimedDelivery), ClaimedDelivery);
        yield return (nameof(NextDelivery), NextDelivery);
        yield return (nameof(MarkSent), MarkSent);
        yield return (nameof(MarkRetry), MarkRetry);
        yield return (nameof(MarkDead), MarkDead);
        yield return (nameof(RequeueDead), RequeueDead);
        yield return (nameof(RequeueOldestDead), RequeueOldestDead);
        yield return (nameof(DeliveryBacklog), DeliveryBacklog);
        yield return ("ListDeliveries (every channel)", ListDeliveries(false));
        yield return ("ListDeliveries (one channel)", ListDeliveries(true));
        yield return (nameof(LoadLive), LoadLive);
        yield return (nameof(LoadLiveMembers), LoadLiveMembers);
        yield return (nameof(LoadHighestIds), LoadHighestIds);
        yield return (nameof(LoadDowntimes), LoadDowntimes);
        yield return (nameof(LoadEarlyRecoveries), LoadEarlyRecoveries);
        yield return (nameof(FindApplied), FindApplied);
        yield return (nameof(PruneApplied), PruneApplied);
        yield return (nameof(ClosedBefore), ClosedBefore);
        yield return (nameof(MoveToArchive), MoveToArchive);
        yield return (nameof(ExpiredArchive), ExpiredArchive);
        yield return (nameof(DeleteArchived), DeleteArchived);
        yield return (nameof(CountArchived), CountArchived);
        yield return (nameof(ArchivedDocument), ArchivedDocument);
        yield return ("CountArchivedMatching (customer and host)", CountArchivedMatching(Where([ArchivedCustomerFilter, HostFilter])));
        yield return ("PageArchived (customer and host)", PageArchived(Where([ArchivedCustomerFilter, HostFilter])));
        yield return ("PageArchived (host, for the history)", PageArchived(Where([HostFilter, ArchivedCustomerFilter, "id < @id"])));
        yield return ("CountIncidents (no filter)", CountIncidents(Where([])));
        yield return ("CountIncidents (every filter)", CountIncidents(Where(filters)));
        yield return ("PageIncidents (no filter)", PageIncidents(Where([]), new IncidentQuery().OrderBy));
        yield return ("PageIncidents (every filter, by due)", PageIncidents(Where(filters), new IncidentQuery { Order = IncidentOrder.Due }.OrderBy));
        yield return (nameof(GetIncident), GetIncident);
        yield return (nameof(RecordSatisfaction), RecordSatisfaction);
        yield return (nameof(GetSatisfaction), GetSatisfaction);
        yield return (nameof(GetTimeline), GetTimeline);
        yield return (nameof(GetMembers), GetMembers);
        yield return (nameof(GetEvents), GetEvents);
        yield return (nameof(History), History);
        yield return (nameof(SchemaLock), SchemaLock);
        yield return (nameof(SchemaVersionTable), SchemaVersionTable);
        yield return (nameof(SchemaVersion), SchemaVersion);
        yield return (nameof(RecordVersion), RecordVersion(7));
    }
}
