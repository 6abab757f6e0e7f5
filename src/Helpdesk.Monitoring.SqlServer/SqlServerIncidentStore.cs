using System.Data;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

/// <summary>
/// The SQL Server incident store (scale-out): the same behaviour as the SQLite store. A sealed plan is one round trip:
/// table-valued parameters into one transaction that checks the event ids and the timeline first (and writes nothing
/// if any event was applied, or another instance extended an incident's timeline), then counters, updates, inserts (refusing an id another instance gave to a different incident),
/// members (MERGE) and timeline. Every write is an absolute value, so a repeated plan changes nothing.
/// </summary>
public sealed partial class SqlServerIncidentStore(SqlServerStoreOptions options) : IIncidentStore, IIncidentQueries
{
    private static readonly string[] Mutable =
    [
        "status", "priority", "state", "worst_state", "last_output", "alert_count", "last_seen_at", "acknowledged_at", "acknowledged_by",
        "acknowledgement_comment", "resolved_at", "closed_at", "reopen_count", "updated_at", "timeline_count", "tier", "flapping", "flap_count",
        "flap_quiet_until", "in_maintenance", "merged_into", "sla_calendar", "sla_started_at", "response_due_at", "resolution_due_at",
        "response_breached", "resolution_breached", "sla_paused_at", "escalations",
    ];

    private static readonly string SetMutable = string.Join(", ", Mutable.Select(c => $"{c} = n.{c}"));

    // An update's alert_count carries the alerts its batch added (instances counting on one incident each add theirs).
    private static readonly string SetMutableAdding = string.Join(", ", Mutable.Select(c => c switch
    {
        "alert_count" => "alert_count = i.alert_count + n.alert_count",
        "last_seen_at" => "last_seen_at = CASE WHEN n.last_seen_at > i.last_seen_at THEN n.last_seen_at ELSE i.last_seen_at END",
        _ => $"{c} = n.{c}",
    }));

    private static readonly string CommitSql = $"""
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
        INSERT dbo.incident ({SqlServerRows.IncidentColumns})
            SELECT {SqlServerRows.IncidentColumns} FROM @inserts n WHERE NOT EXISTS (SELECT 1 FROM dbo.incident x WHERE x.id = n.id);
        MERGE dbo.incident_member AS t
        USING @members AS s ON t.incident_id = s.incident_id AND t.member_key = s.member_key
        WHEN MATCHED THEN UPDATE SET state = s.state, recovered = s.recovered, problem_id = s.problem_id, alert_count = s.alert_count,
            last_seen_at = s.last_seen_at, last_output = s.last_output
        WHEN NOT MATCHED THEN INSERT (incident_id, member_key, instance, host, service, rule_name, correlation_key, state, recovered,
            problem_id, alert_count, joined_at, last_seen_at, last_output)
            VALUES (s.incident_id, s.member_key, s.instance, s.host, s.service, s.rule_name, s.correlation_key, s.state, s.recovered,
            s.problem_id, s.alert_count, s.joined_at, s.last_seen_at, s.last_output);
        INSERT dbo.timeline (incident_id, seq, at, kind, event_id, text)
            SELECT incident_id, seq, at, kind, event_id, text FROM @timeline n
            WHERE NOT EXISTS (SELECT 1 FROM dbo.timeline x WHERE x.incident_id = n.incident_id AND x.seq = n.seq);
        COMMIT TRANSACTION;
        """;

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        SqlServerSchema.Migrate(connection);
    }

    public async ValueTask<StoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var live = await ReadAllAsync(connection, $"SELECT {SqlServerRows.IncidentColumns} FROM dbo.incident WHERE status <> 'closed' ORDER BY id",
            SqlServerRows.ReadIncident, [], cancellationToken);
        var members = await ReadAllAsync(connection,
            $"SELECT {SqlServerRows.MemberColumns} FROM dbo.incident_member WHERE incident_id IN (SELECT id FROM dbo.incident WHERE status <> 'closed')",
            SqlServerRows.ReadMember, [], cancellationToken);
        await using var command = new SqlCommand(
            "SELECT COALESCE((SELECT MAX(id) FROM dbo.incident), 0), COALESCE((SELECT MAX(event_ms) FROM dbo.applied_event), 0)", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StoreSnapshot(live, reader.GetInt64(0), reader.GetInt64(1)) { Members = members };
    }

    public async ValueTask<IReadOnlySet<Guid>> FindAppliedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var found = await ReadAllAsync(connection, "SELECT a.event_id FROM dbo.applied_event a JOIN @ids i ON i.event_id = a.event_id",
            r => new Guid((byte[])r[0], bigEndian: true), [SqlServerRows.Table("@ids", "dbo.helpdesk_event_id", SqlServerRows.EventIds(eventIds))], cancellationToken);
        return found.ToHashSet();
    }

    public async ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var updates = plan.Updates.Select(c => c.ApplyTo(Placeholder(c.Id)) with { AlertCount = c.AlertsAdded }).ToList();
        var refused = await ReadAllAsync(connection, CommitSql, r => (EventId: r.IsDBNull(0) ? (Guid?)null : new Guid((byte[])r[0], bigEndian: true),
                IncidentId: r.IsDBNull(1) ? (long?)null : r.GetInt64(1)),
        [
            SqlServerRows.Table("@events", "dbo.helpdesk_event", SqlServerRows.Events(plan.Events)),
            SqlServerRows.Table("@counters", "dbo.helpdesk_counter", SqlServerRows.Counters(plan.Counters)),
            SqlServerRows.Table("@updates", "dbo.helpdesk_incident", SqlServerRows.Incidents(updates)),
            SqlServerRows.Table("@inserts", "dbo.helpdesk_incident", SqlServerRows.Incidents(plan.Inserts)),
            SqlServerRows.Table("@members", "dbo.helpdesk_member", SqlServerRows.Members(plan.Members)),
            SqlServerRows.Table("@timeline", "dbo.helpdesk_timeline", SqlServerRows.Timeline(plan.Timeline)),
        ], cancellationToken);
        if (refused.Count == 0)
        {
            return CommitResult.Committed;
        }

        var changedElsewhere = refused.Where(r => r.IncidentId is not null).Select(r => r.IncidentId!.Value).ToHashSet();
        return changedElsewhere.Count > 0
            ? CommitResult.Conflict(changedElsewhere)
            : new CommitResult(refused.Select(r => r.EventId!.Value).ToHashSet());
    }

    public async ValueTask<int> PruneAppliedEventsAsync(DateTimeOffset createdBefore, int maxRows, CancellationToken cancellationToken)
    {
        // Big-endian UUIDv7 ids sort by creation time: the old ones are a range of the primary key from its start. An
        // old id applied recently stays until it was applied before the cutoff too (retention counts from application).
        var cutoff = createdBefore.ToUnixTimeMilliseconds();
        var prefix = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            prefix[i] = (byte)(cutoff >> (8 * (5 - i)));
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(
            "DELETE TOP (@max) FROM dbo.applied_event WHERE event_id < @prefix AND event_ms IS NOT NULL AND event_ms < @cutoff AND applied_at < @cutoff", connection);
        command.Parameters.Add("@max", SqlDbType.Int).Value = maxRows;
        command.Parameters.Add("@prefix", SqlDbType.VarBinary, 16).Value = prefix;
        command.Parameters.Add("@cutoff", SqlDbType.BigInt).Value = cutoff;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Only the id and the mutable columns of an update are written; the rest of this row is never read.</summary>
    private static IncidentRecord Placeholder(long id) => new()
    {
        Id = id,
        Instance = "",
        Host = "",
        Title = "",
        Status = IncidentStatus.Open,
        Priority = Priority.P3,
        State = Notifications.AlertState.None,
        WorstState = Notifications.AlertState.None,
        AlertCount = 0,
        OpenedAt = DateTimeOffset.UnixEpoch,
        LastSeenAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private async Task<SqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<List<T>> ReadAllAsync<T>(SqlConnection connection, string sql, Func<SqlDataReader, T> read, SqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(sql, connection) { CommandTimeout = 60 };
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
        return rows;
    }
}
