using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

/// <summary>
/// The schema as numbered migrations, each run once in its own transaction under an application lock (several
/// instances may start at once). Times are Unix milliseconds (BIGINT), event ids big-endian BINARY(16) so UUIDv7 sort
/// by time, as in the SQLite store.
/// </summary>
internal static class SqlServerSchema
{
    /// <summary>The migrations, oldest first (the tests parse every statement of each).</summary>
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE dbo.incident (
            id BIGINT NOT NULL CONSTRAINT pk_incident PRIMARY KEY,
            instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL, service NVARCHAR(255) NOT NULL,
            customer NVARCHAR(MAX) NOT NULL,
            customer_key AS CAST(LEFT(customer, 400) AS NVARCHAR(400)) PERSISTED,
            title NVARCHAR(MAX) NOT NULL, description NVARCHAR(MAX) NOT NULL,
            status VARCHAR(16) NOT NULL, priority VARCHAR(2) NOT NULL, state VARCHAR(16) NOT NULL, worst_state VARCHAR(16) NOT NULL,
            last_output NVARCHAR(MAX) NOT NULL, problem_id NVARCHAR(255) NOT NULL, alert_count BIGINT NOT NULL,
            opened_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, acknowledged_at BIGINT NULL, acknowledged_by NVARCHAR(MAX) NOT NULL,
            acknowledgement_comment NVARCHAR(MAX) NOT NULL, resolved_at BIGINT NULL, closed_at BIGINT NULL, reopen_count INT NOT NULL,
            updated_at BIGINT NOT NULL, timeline_count INT NOT NULL, category NVARCHAR(MAX) NOT NULL, team NVARCHAR(MAX) NOT NULL,
            tier VARCHAR(8) NOT NULL, flapping BIT NOT NULL, flap_count INT NOT NULL, flap_quiet_until BIGINT NULL, in_maintenance BIT NOT NULL,
            correlation_rule NVARCHAR(MAX) NOT NULL, correlation_key NVARCHAR(MAX) NOT NULL, merged_into BIGINT NULL,
            sla_calendar NVARCHAR(MAX) NOT NULL, sla_started_at BIGINT NULL, response_due_at BIGINT NULL, resolution_due_at BIGINT NULL,
            response_breached BIT NOT NULL, resolution_breached BIT NOT NULL, sla_paused_at BIGINT NULL, escalations INT NOT NULL
        );
        -- One open incident per identity, enforced by the database itself (a filtered unique index).
        CREATE UNIQUE INDEX ux_incident_active_identity ON dbo.incident (instance, host, service) WHERE status IN ('open', 'acknowledged');
        CREATE INDEX ix_incident_opened ON dbo.incident (opened_at DESC, id DESC);
        CREATE INDEX ix_incident_status ON dbo.incident (status, opened_at DESC);
        CREATE INDEX ix_incident_customer ON dbo.incident (customer_key, opened_at DESC);
        CREATE INDEX ix_incident_host ON dbo.incident (host, opened_at DESC);
        -- Correlated alerts; the key is a SHA-256 of the identity (three names would pass the 900-byte key limit).
        CREATE TABLE dbo.incident_member (
            incident_id BIGINT NOT NULL, member_key BINARY(32) NOT NULL,
            instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL, service NVARCHAR(255) NOT NULL,
            rule_name NVARCHAR(MAX) NOT NULL, correlation_key NVARCHAR(MAX) NOT NULL, state VARCHAR(16) NOT NULL, recovered BIT NOT NULL,
            problem_id NVARCHAR(255) NOT NULL, alert_count BIGINT NOT NULL, joined_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL,
            last_output NVARCHAR(MAX) NOT NULL,
            CONSTRAINT pk_incident_member PRIMARY KEY (incident_id, member_key)
        );
        CREATE TABLE dbo.timeline (
            incident_id BIGINT NOT NULL, seq INT NOT NULL, at BIGINT NOT NULL, kind VARCHAR(32) NOT NULL, event_id BINARY(16) NULL,
            text NVARCHAR(MAX) NOT NULL,
            CONSTRAINT pk_timeline PRIMARY KEY (incident_id, seq)
        );
        CREATE TABLE dbo.applied_event (
            event_id BINARY(16) NOT NULL CONSTRAINT pk_applied_event PRIMARY KEY,
            incident_id BIGINT NOT NULL, outcome VARCHAR(16) NOT NULL, applied_at BIGINT NOT NULL, event_ms BIGINT NULL
        );
        -- Table-valued parameters: one round trip writes a whole batch.
        CREATE TYPE dbo.helpdesk_event AS TABLE (
            event_id BINARY(16) NOT NULL PRIMARY KEY, incident_id BIGINT NOT NULL, outcome VARCHAR(16) NOT NULL, applied_at BIGINT NOT NULL, event_ms BIGINT NULL);
        CREATE TYPE dbo.helpdesk_event_id AS TABLE (event_id BINARY(16) NOT NULL PRIMARY KEY);
        CREATE TYPE dbo.helpdesk_counter AS TABLE (id BIGINT NOT NULL PRIMARY KEY, alert_count BIGINT NOT NULL, last_seen_at BIGINT NOT NULL);
        CREATE TYPE dbo.helpdesk_incident AS TABLE (
            id BIGINT NOT NULL PRIMARY KEY, instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL, service NVARCHAR(255) NOT NULL,
            customer NVARCHAR(MAX) NOT NULL, title NVARCHAR(MAX) NOT NULL, description NVARCHAR(MAX) NOT NULL, status VARCHAR(16) NOT NULL,
            priority VARCHAR(2) NOT NULL, state VARCHAR(16) NOT NULL, worst_state VARCHAR(16) NOT NULL, last_output NVARCHAR(MAX) NOT NULL,
            problem_id NVARCHAR(255) NOT NULL, alert_count BIGINT NOT NULL, opened_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL,
            acknowledged_at BIGINT NULL, acknowledged_by NVARCHAR(MAX) NOT NULL, acknowledgement_comment NVARCHAR(MAX) NOT NULL,
            resolved_at BIGINT NULL, closed_at BIGINT NULL, reopen_count INT NOT NULL, updated_at BIGINT NOT NULL, timeline_count INT NOT NULL,
            category NVARCHAR(MAX) NOT NULL, team NVARCHAR(MAX) NOT NULL, tier VARCHAR(8) NOT NULL, flapping BIT NOT NULL, flap_count INT NOT NULL,
            flap_quiet_until BIGINT NULL, in_maintenance BIT NOT NULL, correlation_rule NVARCHAR(MAX) NOT NULL, correlation_key NVARCHAR(MAX) NOT NULL,
            merged_into BIGINT NULL, sla_calendar NVARCHAR(MAX) NOT NULL, sla_started_at BIGINT NULL, response_due_at BIGINT NULL,
            resolution_due_at BIGINT NULL, response_breached BIT NOT NULL, resolution_breached BIT NOT NULL, sla_paused_at BIGINT NULL, escalations INT NOT NULL);
        CREATE TYPE dbo.helpdesk_member AS TABLE (
            incident_id BIGINT NOT NULL, member_key BINARY(32) NOT NULL, instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL,
            service NVARCHAR(255) NOT NULL, rule_name NVARCHAR(MAX) NOT NULL, correlation_key NVARCHAR(MAX) NOT NULL, state VARCHAR(16) NOT NULL,
            recovered BIT NOT NULL, problem_id NVARCHAR(255) NOT NULL, alert_count BIGINT NOT NULL, joined_at BIGINT NOT NULL,
            last_seen_at BIGINT NOT NULL, last_output NVARCHAR(MAX) NOT NULL, PRIMARY KEY (incident_id, member_key));
        CREATE TYPE dbo.helpdesk_timeline AS TABLE (
            incident_id BIGINT NOT NULL, seq INT NOT NULL, at BIGINT NOT NULL, kind VARCHAR(32) NOT NULL, event_id BINARY(16) NULL,
            text NVARCHAR(MAX) NOT NULL, PRIMARY KEY (incident_id, seq));
        """,
        """
        -- v2: the outbox. Every incident event (one per timeline entry, with the incident as it stood right after it),
        -- written in the transaction of its effects, so what is announced is exactly what was committed.
        CREATE TABLE dbo.incident_event (
            incident_id BIGINT NOT NULL, seq INT NOT NULL, event_id BINARY(16) NOT NULL, kind VARCHAR(32) NOT NULL, at BIGINT NOT NULL,
            cause BINARY(16) NULL, status VARCHAR(16) NOT NULL, priority VARCHAR(2) NOT NULL, tier VARCHAR(8) NOT NULL, state VARCHAR(16) NOT NULL,
            alert_count BIGINT NOT NULL, merged_into BIGINT NULL, text NVARCHAR(MAX) NOT NULL,
            CONSTRAINT pk_incident_event PRIMARY KEY (incident_id, seq)
        );
        CREATE INDEX ix_incident_event_at ON dbo.incident_event (at);
        CREATE TYPE dbo.helpdesk_incident_event AS TABLE (
            incident_id BIGINT NOT NULL, seq INT NOT NULL, event_id BINARY(16) NOT NULL, kind VARCHAR(32) NOT NULL, at BIGINT NOT NULL,
            cause BINARY(16) NULL, status VARCHAR(16) NOT NULL, priority VARCHAR(2) NOT NULL, tier VARCHAR(8) NOT NULL, state VARCHAR(16) NOT NULL,
            alert_count BIGINT NOT NULL, merged_into BIGINT NULL, text NVARCHAR(MAX) NOT NULL, PRIMARY KEY (incident_id, seq));
        """,
        """
        -- v3: the delivery queue. One row per incident event and outbound channel, written in the transaction of the
        -- decision. A sender claims a due row by moving next_at past a lease; sent and dead rows stay, with when.
        CREATE TABLE dbo.delivery (
            channel VARCHAR(64) NOT NULL, event_id BINARY(16) NOT NULL, incident_id BIGINT NOT NULL, seq INT NOT NULL,
            state VARCHAR(8) NOT NULL, foldable BIT NOT NULL, attempts INT NOT NULL, queued_at BIGINT NOT NULL, next_at BIGINT NOT NULL,
            done_at BIGINT NULL, last_error NVARCHAR(2000) NOT NULL,
            CONSTRAINT pk_delivery PRIMARY KEY (channel, event_id)
        );
        CREATE INDEX ix_delivery_due ON dbo.delivery (channel, next_at) WHERE state = 'pending';
        CREATE INDEX ix_delivery_order ON dbo.delivery (channel, incident_id, seq) INCLUDE (foldable) WHERE state = 'pending';
        CREATE INDEX ix_delivery_dead ON dbo.delivery (channel) WHERE state = 'dead';
        CREATE TYPE dbo.helpdesk_delivery AS TABLE (
            channel VARCHAR(64) NOT NULL, event_id BINARY(16) NOT NULL, incident_id BIGINT NOT NULL, seq INT NOT NULL, foldable BIT NOT NULL,
            queued_at BIGINT NOT NULL, next_at BIGINT NOT NULL, PRIMARY KEY (channel, event_id));
        """,
        """
        -- v4: people work incidents: who has it, and the cause and fix written when a person resolved it. A table type
        -- cannot be altered: the incident rows' type is made again with the new columns.
        ALTER TABLE dbo.incident ADD
            assigned_to NVARCHAR(255) NOT NULL CONSTRAINT df_incident_assigned_to DEFAULT '',
            resolution_cause NVARCHAR(MAX) NOT NULL CONSTRAINT df_incident_resolution_cause DEFAULT '',
            resolution_fix NVARCHAR(MAX) NOT NULL CONSTRAINT df_incident_resolution_fix DEFAULT '';
        DROP TYPE dbo.helpdesk_incident;
        CREATE TYPE dbo.helpdesk_incident AS TABLE (
            id BIGINT NOT NULL PRIMARY KEY, instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL, service NVARCHAR(255) NOT NULL,
            customer NVARCHAR(MAX) NOT NULL, title NVARCHAR(MAX) NOT NULL, description NVARCHAR(MAX) NOT NULL, status VARCHAR(16) NOT NULL,
            priority VARCHAR(2) NOT NULL, state VARCHAR(16) NOT NULL, worst_state VARCHAR(16) NOT NULL, last_output NVARCHAR(MAX) NOT NULL,
            problem_id NVARCHAR(255) NOT NULL, alert_count BIGINT NOT NULL, opened_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL,
            acknowledged_at BIGINT NULL, acknowledged_by NVARCHAR(MAX) NOT NULL, acknowledgement_comment NVARCHAR(MAX) NOT NULL,
            resolved_at BIGINT NULL, closed_at BIGINT NULL, reopen_count INT NOT NULL, updated_at BIGINT NOT NULL, timeline_count INT NOT NULL,
            category NVARCHAR(MAX) NOT NULL, team NVARCHAR(MAX) NOT NULL, tier VARCHAR(8) NOT NULL, flapping BIT NOT NULL, flap_count INT NOT NULL,
            flap_quiet_until BIGINT NULL, in_maintenance BIT NOT NULL, correlation_rule NVARCHAR(MAX) NOT NULL, correlation_key NVARCHAR(MAX) NOT NULL,
            merged_into BIGINT NULL, sla_calendar NVARCHAR(MAX) NOT NULL, sla_started_at BIGINT NULL, response_due_at BIGINT NULL,
            resolution_due_at BIGINT NULL, response_breached BIT NOT NULL, resolution_breached BIT NOT NULL, sla_paused_at BIGINT NULL, escalations INT NOT NULL,
            assigned_to NVARCHAR(255) NOT NULL, resolution_cause NVARCHAR(MAX) NOT NULL, resolution_fix NVARCHAR(MAX) NOT NULL);
        -- Whose alert a member is: an incident that reaches several customers rises in priority (priority.scope).
        ALTER TABLE dbo.incident_member ADD customer NVARCHAR(MAX) NOT NULL CONSTRAINT df_incident_member_customer DEFAULT '';
        DROP TYPE dbo.helpdesk_member;
        CREATE TYPE dbo.helpdesk_member AS TABLE (
            incident_id BIGINT NOT NULL, member_key BINARY(32) NOT NULL, instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL,
            service NVARCHAR(255) NOT NULL, rule_name NVARCHAR(MAX) NOT NULL, correlation_key NVARCHAR(MAX) NOT NULL, state VARCHAR(16) NOT NULL,
            recovered BIT NOT NULL, problem_id NVARCHAR(255) NOT NULL, alert_count BIGINT NOT NULL, joined_at BIGINT NOT NULL,
            last_seen_at BIGINT NOT NULL, last_output NVARCHAR(MAX) NOT NULL, customer NVARCHAR(MAX) NOT NULL, PRIMARY KEY (incident_id, member_key));
        -- The customer's answer to the satisfaction question: one per incident, the first kept.
        CREATE TABLE dbo.satisfaction (
            incident_id BIGINT NOT NULL CONSTRAINT pk_satisfaction PRIMARY KEY, score INT NOT NULL, comment NVARCHAR(2000) NOT NULL,
            contact NVARCHAR(320) NOT NULL, team NVARCHAR(255) NOT NULL, at BIGINT NOT NULL
        );
        """,
        """
        -- v9: the archive. A closed incident past the retention leaves the live tables for one row here: the columns
        -- it is found by and its whole history as one compressed document, so the live tables stay the size of what is recent.
        CREATE TABLE dbo.archived_incident (
            id BIGINT NOT NULL CONSTRAINT pk_archived_incident PRIMARY KEY, instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL,
            service NVARCHAR(255) NOT NULL, customer NVARCHAR(MAX) NOT NULL,
            customer_key AS CAST(LEFT(customer, 400) AS NVARCHAR(400)) PERSISTED,
            opened_at BIGINT NOT NULL, closed_at BIGINT NOT NULL, document VARBINARY(MAX) NOT NULL
        );
        CREATE INDEX ix_archived_customer ON dbo.archived_incident (customer_key, opened_at DESC);
        CREATE INDEX ix_archived_host ON dbo.archived_incident (host, opened_at DESC);
        CREATE INDEX ix_archived_closed ON dbo.archived_incident (closed_at);
        -- What the archiving looks for: closed incidents, oldest closed first.
        CREATE INDEX ix_incident_closed ON dbo.incident (closed_at) WHERE status = 'closed';
        """,
        """
        -- v13 (as in the SQLite store): what the decider remembers beside the incidents, so that a restart (or another
        -- instance taking over a host) remembers it too. The objects in scheduled downtime: one row from DOWNTIMESTART
        -- until DOWNTIMEEND or DOWNTIMECANCELLED; the key is a SHA-256 of the identity, as for members.
        CREATE TABLE dbo.scheduled_downtime (
            object_key BINARY(32) NOT NULL CONSTRAINT pk_scheduled_downtime PRIMARY KEY,
            instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL, service NVARCHAR(255) NOT NULL, since BIGINT NOT NULL
        );
        -- A start carries its time; an end carries none.
        CREATE TYPE dbo.helpdesk_downtime AS TABLE (
            object_key BINARY(32) NOT NULL PRIMARY KEY, instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL,
            service NVARCHAR(255) NOT NULL, since BIGINT NULL);
        -- A RECOVERY that came before its PROBLEM, until that PROBLEM comes; reported_at is Nagios' TIMET in seconds.
        CREATE TABLE dbo.early_recovery (
            object_key BINARY(32) NOT NULL CONSTRAINT pk_early_recovery PRIMARY KEY,
            instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL, service NVARCHAR(255) NOT NULL, reported_at BIGINT NOT NULL,
            problem_id NVARCHAR(255) NOT NULL, output NVARCHAR(MAX) NOT NULL, state VARCHAR(16) NOT NULL, event_id BINARY(16) NOT NULL
        );
        -- One held (held = 1, with its fields) or let go (held = 0).
        CREATE TYPE dbo.helpdesk_early_recovery AS TABLE (
            object_key BINARY(32) NOT NULL PRIMARY KEY, held BIT NOT NULL, instance NVARCHAR(255) NOT NULL, host NVARCHAR(255) NOT NULL,
            service NVARCHAR(255) NOT NULL, reported_at BIGINT NOT NULL, problem_id NVARCHAR(255) NOT NULL, output NVARCHAR(MAX) NOT NULL,
            state VARCHAR(16) NOT NULL, event_id BINARY(16) NOT NULL);
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(SqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, SqlServerStatements.SchemaLock);
        Execute(connection, transaction, SqlServerStatements.SchemaVersionTable);
        using var read = new SqlCommand(SqlServerStatements.SchemaVersion, connection, transaction);
        var current = (int)read.ExecuteScalar();
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException($"the database schema is version {current}, newer than this service knows ({Migrations.Length}); upgrade the service");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            // CREATE TYPE and CREATE TABLE may not share a batch with some statements: run each statement alone.
            foreach (var statement in Statements(Migrations[version - 1]))
            {
                Execute(connection, transaction, statement);
            }

            Execute(connection, transaction, SqlServerStatements.RecordVersion(version));
        }

        transaction.Commit();
    }

    /// <summary>A migration's statements as they are sent: one at a time, comment-only pieces left out.</summary>
    public static IEnumerable<string> Statements(string migration) =>
        migration.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(statement => statement.Split('\n').Any(line => line.Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));

    private static void Execute(SqlConnection connection, SqlTransaction transaction, string sql)
    {
        using var command = new SqlCommand(sql, connection, transaction) { CommandTimeout = 120 };
        command.ExecuteNonQuery();
    }
}
