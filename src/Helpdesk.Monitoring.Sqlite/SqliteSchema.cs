using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>The schema as numbered migrations: each runs once, in order, in its own transaction.</summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE incident (
            id INTEGER PRIMARY KEY,
            instance TEXT NOT NULL,
            host TEXT NOT NULL,
            service TEXT NOT NULL,
            customer TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL,
            priority TEXT NOT NULL,
            state TEXT NOT NULL,
            worst_state TEXT NOT NULL,
            last_output TEXT NOT NULL,
            problem_id TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            acknowledged_at INTEGER,
            acknowledged_by TEXT NOT NULL,
            acknowledgement_comment TEXT NOT NULL,
            resolved_at INTEGER,
            closed_at INTEGER,
            reopen_count INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            timeline_count INTEGER NOT NULL
        );
        -- One open incident per identity, enforced by the database itself.
        CREATE UNIQUE INDEX ux_incident_active_identity ON incident(instance, host, service) WHERE status IN ('open', 'acknowledged');
        CREATE INDEX ix_incident_opened ON incident(opened_at DESC, id DESC);
        CREATE INDEX ix_incident_status ON incident(status, opened_at DESC);
        CREATE INDEX ix_incident_customer ON incident(customer, opened_at DESC);
        CREATE INDEX ix_incident_host ON incident(host, opened_at DESC);
        -- The counters a storm of repeats rewrites, apart from the wide incident rows: small rows, few pages per commit.
        CREATE TABLE incident_counter (
            id INTEGER PRIMARY KEY,
            alert_count INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL
        );
        -- Written once, read only in the detail view: kept out of the rows that state changes rewrite.
        CREATE TABLE incident_description (
            id INTEGER PRIMARY KEY,
            description TEXT NOT NULL
        );
        CREATE VIEW incident_row AS
            SELECT i.id, i.instance, i.host, i.service, i.customer, i.title, d.description, i.status, i.priority, i.state, i.worst_state,
                   i.last_output, i.problem_id, c.alert_count, i.opened_at, c.last_seen_at, i.acknowledged_at, i.acknowledged_by,
                   i.acknowledgement_comment, i.resolved_at, i.closed_at, i.reopen_count, i.updated_at, i.timeline_count
            FROM incident i JOIN incident_counter c ON c.id = i.id JOIN incident_description d ON d.id = i.id;
        CREATE TABLE timeline (
            incident_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            event_id BLOB,
            text TEXT NOT NULL,
            PRIMARY KEY (incident_id, seq)
        ) WITHOUT ROWID;
        -- Every applied notification: the idempotency record. Ids are stored big-endian so UUIDv7 sort by time.
        CREATE TABLE applied_event (
            event_id BLOB PRIMARY KEY,
            incident_id INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            applied_at INTEGER NOT NULL,
            event_ms INTEGER
        ) WITHOUT ROWID;
        """,
        """
        -- v2: category and routing from the rules file.
        ALTER TABLE incident ADD COLUMN category TEXT NOT NULL DEFAULT '';
        ALTER TABLE incident ADD COLUMN team TEXT NOT NULL DEFAULT '';
        ALTER TABLE incident ADD COLUMN tier TEXT NOT NULL DEFAULT '';
        CREATE INDEX ix_incident_team ON incident(team, opened_at DESC);
        DROP VIEW incident_row;
        CREATE VIEW incident_row AS
            SELECT i.id, i.instance, i.host, i.service, i.customer, i.title, d.description, i.status, i.priority, i.state, i.worst_state,
                   i.last_output, i.problem_id, c.alert_count, i.opened_at, c.last_seen_at, i.acknowledged_at, i.acknowledged_by,
                   i.acknowledgement_comment, i.resolved_at, i.closed_at, i.reopen_count, i.updated_at, i.timeline_count,
                   i.category, i.team, i.tier
            FROM incident i JOIN incident_counter c ON c.id = i.id JOIN incident_description d ON d.id = i.id;
        """,
        """
        -- v3: flapping holds an incident open until a quiet period after it stops.
        ALTER TABLE incident ADD COLUMN flapping INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incident ADD COLUMN flap_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incident ADD COLUMN flap_quiet_until INTEGER;
        DROP VIEW incident_row;
        CREATE VIEW incident_row AS
            SELECT i.id, i.instance, i.host, i.service, i.customer, i.title, d.description, i.status, i.priority, i.state, i.worst_state,
                   i.last_output, i.problem_id, c.alert_count, i.opened_at, c.last_seen_at, i.acknowledged_at, i.acknowledged_by,
                   i.acknowledgement_comment, i.resolved_at, i.closed_at, i.reopen_count, i.updated_at, i.timeline_count,
                   i.category, i.team, i.tier, i.flapping, i.flap_count, i.flap_quiet_until
            FROM incident i JOIN incident_counter c ON c.id = i.id JOIN incident_description d ON d.id = i.id;
        """,
        """
        -- v4: scheduled downtime (maintenance) on the incident's object.
        ALTER TABLE incident ADD COLUMN in_maintenance INTEGER NOT NULL DEFAULT 0;
        DROP VIEW incident_row;
        CREATE VIEW incident_row AS
            SELECT i.id, i.instance, i.host, i.service, i.customer, i.title, d.description, i.status, i.priority, i.state, i.worst_state,
                   i.last_output, i.problem_id, c.alert_count, i.opened_at, c.last_seen_at, i.acknowledged_at, i.acknowledged_by,
                   i.acknowledgement_comment, i.resolved_at, i.closed_at, i.reopen_count, i.updated_at, i.timeline_count,
                   i.category, i.team, i.tier, i.flapping, i.flap_count, i.flap_quiet_until, i.in_maintenance
            FROM incident i JOIN incident_counter c ON c.id = i.id JOIN incident_description d ON d.id = i.id;
        """,
        """
        -- v5: correlation (members, groups, storms, merges) and SLA clocks with escalation.
        ALTER TABLE incident ADD COLUMN correlation_rule TEXT NOT NULL DEFAULT '';
        ALTER TABLE incident ADD COLUMN correlation_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE incident ADD COLUMN merged_into INTEGER;
        ALTER TABLE incident ADD COLUMN sla_calendar TEXT NOT NULL DEFAULT '';
        ALTER TABLE incident ADD COLUMN sla_started_at INTEGER;
        ALTER TABLE incident ADD COLUMN response_due_at INTEGER;
        ALTER TABLE incident ADD COLUMN resolution_due_at INTEGER;
        ALTER TABLE incident ADD COLUMN response_breached INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incident ADD COLUMN resolution_breached INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incident ADD COLUMN sla_paused_at INTEGER;
        ALTER TABLE incident ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;
        -- Alerts correlated into an incident besides its cause; written with absolute values (idempotent upserts).
        CREATE TABLE incident_member (
            incident_id INTEGER NOT NULL,
            instance TEXT NOT NULL,
            host TEXT NOT NULL,
            service TEXT NOT NULL,
            rule TEXT NOT NULL,
            correlation_key TEXT NOT NULL,
            state TEXT NOT NULL,
            recovered INTEGER NOT NULL,
            problem_id TEXT NOT NULL,
            alert_count INTEGER NOT NULL,
            joined_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            last_output TEXT NOT NULL,
            PRIMARY KEY (incident_id, instance, host, service)
        ) WITHOUT ROWID;
        DROP VIEW incident_row;
        CREATE VIEW incident_row AS
            SELECT i.id, i.instance, i.host, i.service, i.customer, i.title, d.description, i.status, i.priority, i.state, i.worst_state,
                   i.last_output, i.problem_id, c.alert_count, i.opened_at, c.last_seen_at, i.acknowledged_at, i.acknowledged_by,
                   i.acknowledgement_comment, i.resolved_at, i.closed_at, i.reopen_count, i.updated_at, i.timeline_count,
                   i.category, i.team, i.tier, i.flapping, i.flap_count, i.flap_quiet_until, i.in_maintenance,
                   i.correlation_rule, i.correlation_key, i.merged_into, i.sla_calendar, i.sla_started_at, i.response_due_at,
                   i.resolution_due_at, i.response_breached, i.resolution_breached, i.sla_paused_at, i.escalations
            FROM incident i JOIN incident_counter c ON c.id = i.id JOIN incident_description d ON d.id = i.id;
        """,
        """
        -- v6: the outbox. Every incident event (one per timeline entry, with the incident as it stood right after it),
        -- written in the transaction of its effects, so what is announced is exactly what was committed.
        CREATE TABLE incident_event (
            incident_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            event_id BLOB NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            cause BLOB,
            status TEXT NOT NULL,
            priority TEXT NOT NULL,
            tier TEXT NOT NULL,
            state TEXT NOT NULL,
            alert_count INTEGER NOT NULL,
            merged_into INTEGER,
            text TEXT NOT NULL,
            PRIMARY KEY (incident_id, seq)
        ) WITHOUT ROWID;
        CREATE INDEX ix_incident_event_at ON incident_event(at);
        """,
        """
        -- v7: the delivery queue. One row per incident event and outbound channel, written in the transaction of the
        -- decision. A sender claims a due row by moving next_at past a lease; sent and dead rows stay, with when.
        CREATE TABLE delivery (
            channel TEXT NOT NULL,
            event_id BLOB NOT NULL,
            incident_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            state TEXT NOT NULL,
            foldable INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            queued_at INTEGER NOT NULL,
            next_at INTEGER NOT NULL,
            done_at INTEGER,
            last_error TEXT NOT NULL,
            PRIMARY KEY (channel, event_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_delivery_due ON delivery(channel, next_at) WHERE state = 'pending';
        CREATE INDEX ix_delivery_order ON delivery(channel, incident_id, seq) WHERE state = 'pending';
        CREATE INDEX ix_delivery_dead ON delivery(channel) WHERE state = 'dead';
        """,
        """
        -- v8: people work incidents: who has it, and the cause and fix written when a person resolved it.
        ALTER TABLE incident ADD COLUMN assigned_to TEXT NOT NULL DEFAULT '';
        ALTER TABLE incident ADD COLUMN resolution_cause TEXT NOT NULL DEFAULT '';
        ALTER TABLE incident ADD COLUMN resolution_fix TEXT NOT NULL DEFAULT '';
        DROP VIEW incident_row;
        CREATE VIEW incident_row AS
            SELECT i.id, i.instance, i.host, i.service, i.customer, i.title, d.description, i.status, i.priority, i.state, i.worst_state,
                   i.last_output, i.problem_id, c.alert_count, i.opened_at, c.last_seen_at, i.acknowledged_at, i.acknowledged_by,
                   i.acknowledgement_comment, i.resolved_at, i.closed_at, i.reopen_count, i.updated_at, i.timeline_count,
                   i.category, i.team, i.tier, i.flapping, i.flap_count, i.flap_quiet_until, i.in_maintenance,
                   i.correlation_rule, i.correlation_key, i.merged_into, i.sla_calendar, i.sla_started_at, i.response_due_at,
                   i.resolution_due_at, i.response_breached, i.resolution_breached, i.sla_paused_at, i.escalations,
                   i.assigned_to, i.resolution_cause, i.resolution_fix
            FROM incident i JOIN incident_counter c ON c.id = i.id JOIN incident_description d ON d.id = i.id;
        -- Whose alert a member is: an incident that reaches several customers rises in priority (priority.scope).
        ALTER TABLE incident_member ADD COLUMN customer TEXT NOT NULL DEFAULT '';
        -- The customer's answer to the satisfaction question: one per incident, the first kept.
        CREATE TABLE satisfaction (
            incident_id INTEGER PRIMARY KEY,
            score INTEGER NOT NULL,
            comment TEXT NOT NULL,
            contact TEXT NOT NULL,
            team TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        """,
        """
        -- v9: the archive. A closed incident past the retention leaves the live tables for one row here: the columns
        -- it is found by, and its whole history as one compressed document. The live tables keep only what is recent,
        -- so they cost the same after a year as on the first day.
        CREATE TABLE archived_incident (
            id INTEGER PRIMARY KEY,
            instance TEXT NOT NULL,
            host TEXT NOT NULL,
            service TEXT NOT NULL,
            customer TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            closed_at INTEGER NOT NULL,
            document BLOB NOT NULL
        );
        CREATE INDEX ix_archived_customer ON archived_incident(customer, opened_at DESC);
        CREATE INDEX ix_archived_host ON archived_incident(host, opened_at DESC);
        CREATE INDEX ix_archived_closed ON archived_incident(closed_at);
        -- What the archiving looks for: closed incidents, oldest closed first.
        CREATE INDEX ix_incident_closed ON incident(closed_at) WHERE status = 'closed';
        """,
        """
        -- v10: what repeats add to an incident's count is appended here, one row per incident per commit, and folded
        -- into incident_counter every few seconds. A storm of repeats then writes the few pages at the end of this
        -- table per commit, instead of rewriting most of the counter table's pages in every commit. Readers see the
        -- sum of both through incident_row.
        CREATE TABLE counter_delta (
            incident_id INTEGER NOT NULL,
            added INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL
        );
        DROP VIEW incident_row;
        CREATE VIEW incident_row AS
            SELECT i.id, i.instance, i.host, i.service, i.customer, i.title, d.description, i.status, i.priority, i.state, i.worst_state,
                   i.last_output, i.problem_id, c.alert_count + COALESCE(p.added, 0) AS alert_count, i.opened_at,
                   MAX(c.last_seen_at, COALESCE(p.last_seen_at, 0)) AS last_seen_at, i.acknowledged_at, i.acknowledged_by,
                   i.acknowledgement_comment, i.resolved_at, i.closed_at, i.reopen_count, i.updated_at, i.timeline_count,
                   i.category, i.team, i.tier, i.flapping, i.flap_count, i.flap_quiet_until, i.in_maintenance,
                   i.correlation_rule, i.correlation_key, i.merged_into, i.sla_calendar, i.sla_started_at, i.response_due_at,
                   i.resolution_due_at, i.response_breached, i.resolution_breached, i.sla_paused_at, i.escalations,
                   i.assigned_to, i.resolution_cause, i.resolution_fix
            FROM incident i JOIN incident_counter c ON c.id = i.id JOIN incident_description d ON d.id = i.id
            LEFT JOIN (SELECT incident_id, SUM(added) AS added, MAX(last_seen_at) AS last_seen_at FROM counter_delta GROUP BY incident_id) p
                ON p.incident_id = i.id;
        """,
        """
        -- v11: the outbox and the timeline in commit order. Keyed by incident, every state change inserted a row into
        -- the middle of each of these wide tables: a commit of 2,000 changes rewrote some 4,000 of their pages. As
        -- rowid tables the rows go on at the end, and only the narrow indexes by incident (what the incident's page,
        -- the delivery join and the archive read) take the scattered inserts. The event-time index was never read and
        -- is not made again.
        CREATE TABLE incident_event_v11 (
            incident_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            event_id BLOB NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            cause BLOB,
            status TEXT NOT NULL,
            priority TEXT NOT NULL,
            tier TEXT NOT NULL,
            state TEXT NOT NULL,
            alert_count INTEGER NOT NULL,
            merged_into INTEGER,
            text TEXT NOT NULL
        );
        INSERT INTO incident_event_v11 (incident_id, seq, event_id, kind, at, cause, status, priority, tier, state, alert_count, merged_into, text)
            SELECT incident_id, seq, event_id, kind, at, cause, status, priority, tier, state, alert_count, merged_into, text
            FROM incident_event ORDER BY at, incident_id, seq;
        DROP TABLE incident_event;
        ALTER TABLE incident_event_v11 RENAME TO incident_event;
        CREATE UNIQUE INDEX ux_incident_event ON incident_event(incident_id, seq);
        -- The timeline, for the same reason: it is read by incident through the index, and written at the end.
        CREATE TABLE timeline_v11 (
            incident_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            event_id BLOB,
            text TEXT NOT NULL
        );
        INSERT INTO timeline_v11 (incident_id, seq, at, kind, event_id, text)
            SELECT incident_id, seq, at, kind, event_id, text FROM timeline ORDER BY at, incident_id, seq;
        DROP TABLE timeline;
        ALTER TABLE timeline_v11 RENAME TO timeline;
        CREATE UNIQUE INDEX ux_timeline ON timeline(incident_id, seq);
        """,
        """
        -- v12: the timeline read from the outbox. Since v6 every timeline entry has its incident event at the same
        -- incident and sequence, with the same time, cause and text, so a state change wrote its line twice: two rows
        -- and two scattered entries in two indexes by incident (a fifth of what a change wrote). The event now keeps
        -- the entry's own kind, and the timeline is a view. Entries from before v6, which have no event, stay in a
        -- table of their own.
        ALTER TABLE incident_event ADD COLUMN timeline_kind TEXT NOT NULL DEFAULT 'note';
        UPDATE incident_event SET timeline_kind = t.kind
            FROM timeline t WHERE t.incident_id = incident_event.incident_id AND t.seq = incident_event.seq;
        DELETE FROM timeline
            WHERE EXISTS (SELECT 1 FROM incident_event e WHERE e.incident_id = timeline.incident_id AND e.seq = timeline.seq);
        ALTER TABLE timeline RENAME TO timeline_before_outbox;
        CREATE VIEW timeline AS
            SELECT incident_id, seq, at, kind, event_id, text FROM timeline_before_outbox
            UNION ALL
            SELECT incident_id, seq, at, timeline_kind, cause, text FROM incident_event;
        """,
        """
        -- v13: what the decider remembers beside the incidents, so that a restart remembers it too. The objects in
        -- scheduled downtime (a problem inside one opens in maintenance): one row from DOWNTIMESTART until DOWNTIMEEND
        -- or DOWNTIMECANCELLED; an empty service is the host itself, whose downtime covers its services.
        CREATE TABLE scheduled_downtime (
            instance TEXT NOT NULL,
            host TEXT NOT NULL,
            service TEXT NOT NULL,
            since INTEGER NOT NULL,
            PRIMARY KEY (instance, host, service)
        ) WITHOUT ROWID;
        -- A RECOVERY that came before its PROBLEM (parallel Nagios workers), until that PROBLEM comes and is resolved
        -- by it; reported_at is Nagios' TIMET in seconds.
        CREATE TABLE early_recovery (
            instance TEXT NOT NULL,
            host TEXT NOT NULL,
            service TEXT NOT NULL,
            reported_at INTEGER NOT NULL,
            problem_id TEXT NOT NULL,
            output TEXT NOT NULL,
            state TEXT NOT NULL,
            event_id BLOB NOT NULL,
            PRIMARY KEY (instance, host, service)
        ) WITHOUT ROWID;
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(SqliteConnection connection) => Migrate(connection, Migrations.Length);

    /// <summary>Migrates up to <paramref name="target"/> only: tests build older databases with it.</summary>
    internal static void Migrate(SqliteConnection connection, int target)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException($"the database schema is version {current}, newer than this service knows ({Migrations.Length}); upgrade the service");
        }

        for (var version = current + 1; version <= target; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, Migrations[version - 1], transaction);
            Execute(connection, $"INSERT INTO schema_version (version) VALUES ({version})", transaction);
            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
