using System.Data;
using Helpdesk.Monitoring.Policy;
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
public sealed partial class SqlServerIncidentStore(SqlServerStoreOptions options) : IIncidentStore, IIncidentQueries, IDeliveryQueue
{
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        SqlServerSchema.Migrate(connection);
    }

    public async ValueTask<StoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var live = await ReadAllAsync(connection, SqlServerStatements.LoadLive,
            SqlServerRows.ReadIncident, [], cancellationToken);
        var members = await ReadAllAsync(connection,
            SqlServerStatements.LoadLiveMembers,
            SqlServerRows.ReadMember, [], cancellationToken);
        var downtimes = await ReadAllAsync(connection, SqlServerStatements.LoadDowntimes, SqlServerRows.ReadDowntime, [], cancellationToken);
        var recoveries = await ReadAllAsync(connection, SqlServerStatements.LoadEarlyRecoveries, SqlServerRows.ReadEarlyRecovery, [], cancellationToken);
        await using var command = new SqlCommand(SqlServerStatements.LoadHighestIds, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StoreSnapshot(live, reader.GetInt64(0), reader.GetInt64(1)) { Members = members, Downtimes = downtimes, EarlyRecoveries = recoveries };
    }

    public async ValueTask<IReadOnlySet<Guid>> FindAppliedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var found = await ReadAllAsync(connection, SqlServerStatements.FindApplied,
            r => new Guid((byte[])r[0], bigEndian: true), [SqlServerRows.Table("@ids", "dbo.helpdesk_event_id", SqlServerRows.EventIds(eventIds))], cancellationToken);
        return found.ToHashSet();
    }

    public async ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(plan, cancellationToken);
        }
        catch (SqlException ex) when (Unavailable(ex.Number) is { } why)
        {
            throw new StoreUnavailableException($"the SQL Server store cannot take writes: {why} (error {ex.Number}: {ex.Message})", ex);
        }
    }

    /// <summary>
    /// Why SQL Server refused a write for a reason outside the plan (its error numbers), or null: the committer then
    /// waits for the database instead of deciding the batch again.
    /// </summary>
    public static string? Unavailable(int errorNumber) => errorNumber switch
    {
        9002 => "the database's transaction log is full",
        1105 => "the database's filegroup is full",
        3906 => "the database is read-only",
        40544 => "the database has reached its size quota",
        _ => null,
    };

    private async Task<CommitResult> WriteAsync(CommitPlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var updates = plan.Updates.Select(c => c.ApplyTo(Placeholder(c.Id)) with { AlertCount = c.AlertsAdded }).ToList();
        var refused = await ReadAllAsync(connection, SqlServerStatements.Commit, r => (EventId: r.IsDBNull(0) ? (Guid?)null : new Guid((byte[])r[0], bigEndian: true),
                IncidentId: r.IsDBNull(1) ? (long?)null : r.GetInt64(1)),
        [
            SqlServerRows.Table("@events", "dbo.helpdesk_event", SqlServerRows.Events(plan.Events)),
            SqlServerRows.Table("@counters", "dbo.helpdesk_counter", SqlServerRows.Counters(plan.Counters)),
            SqlServerRows.Table("@updates", "dbo.helpdesk_incident", SqlServerRows.Incidents(updates)),
            SqlServerRows.Table("@inserts", "dbo.helpdesk_incident", SqlServerRows.Incidents(plan.Inserts)),
            SqlServerRows.Table("@members", "dbo.helpdesk_member", SqlServerRows.Members(plan.Members)),
            SqlServerRows.Table("@timeline", "dbo.helpdesk_timeline", SqlServerRows.Timeline(plan.Timeline)),
            SqlServerRows.Table("@incident_events", "dbo.helpdesk_incident_event", SqlServerRows.IncidentEvents(plan.IncidentEvents)),
            SqlServerRows.Table("@deliveries", "dbo.helpdesk_delivery", SqlServerRows.Deliveries(plan.Deliveries)),
            SqlServerRows.Table("@downtimes", "dbo.helpdesk_downtime", SqlServerRows.Downtimes(plan.Downtimes)),
            SqlServerRows.Table("@recoveries", "dbo.helpdesk_early_recovery", SqlServerRows.EarlyRecoveries(plan)),
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
        await using var command = new SqlCommand(SqlServerStatements.PruneApplied, connection);
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
