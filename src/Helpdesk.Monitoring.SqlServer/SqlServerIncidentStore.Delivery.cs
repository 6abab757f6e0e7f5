using System.Data;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

/// <summary>The delivery queue on SQL Server: claims take row locks and skip rows another instance holds (READPAST).</summary>
public sealed partial class SqlServerIncidentStore
{
    public async ValueTask<IReadOnlyList<PendingDelivery>> ClaimDueAsync(string channel, DateTimeOffset now, DateTimeOffset leaseUntil, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await ReadAllAsync(connection, SqlServerStatements.ClaimDeliveries,
            r => (Id: (byte[])r[0], Incident: r.GetInt64(1), Seq: r.GetInt32(2), Foldable: r.GetBoolean(3), InRun: r.GetBoolean(4)),
            [Channel(channel), new SqlParameter("@now", SqlDbType.BigInt) { Value = now.ToUnixTimeMilliseconds() },
             new SqlParameter("@lease", SqlDbType.BigInt) { Value = leaseUntil.ToUnixTimeMilliseconds() }, new SqlParameter("@limit", SqlDbType.Int) { Value = limit }],
            cancellationToken);

        var runs = rows.Where(r => r.InRun).ToLookup(r => r.Incident);
        var deliveries = new List<PendingDelivery>();
        foreach (var claimed in rows.Where(r => !r.InRun).OrderBy(r => r.Incident).ThenBy(r => r.Seq))
        {
            var behind = claimed.Foldable ? runs[claimed.Incident].Where(r => r.Seq > claimed.Seq).OrderBy(r => r.Seq).ToList() : [];
            var shown = behind.Count > 0 ? behind[^1].Id : claimed.Id;
            List<Guid> folded = behind.Count > 0 ? [Guid(claimed.Id), .. behind.SkipLast(1).Select(b => Guid(b.Id))] : [];
            var read = await ReadAllAsync(connection, SqlServerStatements.ClaimedDelivery, r => Pending(channel, r),
                [Channel(channel), new SqlParameter("@id", SqlDbType.Binary, 16) { Value = shown }], cancellationToken);
            if (read.Count == 1)
            {
                deliveries.Add(read[0] with { Folded = folded });
            }
        }

        return [.. deliveries.OrderBy(d => d.QueuedAt).ThenBy(d => d.Event.IncidentId).ThenBy(d => d.Event.Seq)];
    }

    public async ValueTask<DateTimeOffset?> NextDueAsync(string channel, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(SqlServerStatements.NextDelivery, connection);
        command.Parameters.Add(Channel(channel));
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public ValueTask MarkSentAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, CancellationToken cancellationToken) =>
        MarkAsync(SqlServerStatements.MarkSent, channel, eventIds, at, "", cancellationToken);

    public ValueTask MarkRetryAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset nextAt, string error, CancellationToken cancellationToken) =>
        MarkAsync(SqlServerStatements.MarkRetry, channel, eventIds, nextAt, error, cancellationToken);

    public ValueTask MarkDeadAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, string error, CancellationToken cancellationToken) =>
        MarkAsync(SqlServerStatements.MarkDead, channel, eventIds, at, error, cancellationToken);

    public async ValueTask<int> RequeueDeadAsync(string channel, IReadOnlyList<Guid> eventIds, int limit, DateTimeOffset now, string note,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(eventIds.Count == 0 ? SqlServerStatements.RequeueOldestDead : SqlServerStatements.RequeueDead, connection);
        command.Parameters.Add(Channel(channel));
        command.Parameters.Add("@now", SqlDbType.BigInt).Value = now.ToUnixTimeMilliseconds();
        command.Parameters.Add("@note", SqlDbType.NVarChar, 2000).Value = note.Length > 2000 ? note[..2000] : note;
        if (eventIds.Count == 0)
        {
            command.Parameters.Add("@limit", SqlDbType.Int).Value = limit;
        }
        else
        {
            command.Parameters.Add(SqlServerRows.Table("@ids", "dbo.helpdesk_event_id", SqlServerRows.EventIds([.. eventIds.Distinct()])));
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<int> PruneDoneAsync(DateTimeOffset doneBefore, int maxRows, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(SqlServerStatements.PruneDoneDeliveries, connection);
        command.Parameters.Add("@max", SqlDbType.Int).Value = maxRows;
        command.Parameters.Add("@cutoff", SqlDbType.BigInt).Value = doneBefore.ToUnixTimeMilliseconds();
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ChannelBacklog>> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAllAsync(connection, SqlServerStatements.DeliveryBacklog, r => new ChannelBacklog(r.GetString(0), r.GetInt32(1), r.GetInt32(2)), [], cancellationToken);
    }

    public async ValueTask<IReadOnlyList<DeliveryState>> ListAsync(string state, string? channel, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        SqlParameter[] parameters = channel is null
            ? [new SqlParameter("@state", SqlDbType.VarChar, 8) { Value = state }, new SqlParameter("@limit", SqlDbType.Int) { Value = limit }]
            : [new SqlParameter("@state", SqlDbType.VarChar, 8) { Value = state }, new SqlParameter("@limit", SqlDbType.Int) { Value = limit }, Channel(channel)];
        return await ReadAllAsync(connection, SqlServerStatements.ListDeliveries(channel is not null), r => new DeliveryState(
            r.GetString(0), Guid((byte[])r[1]), r.GetInt64(2), IncidentEventKindNames.Parse(r.GetString(3)), r.GetString(4), r.GetInt32(5),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
            r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)), r.GetString(9)), parameters, cancellationToken);
    }

    private async ValueTask MarkAsync(string sql, string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, string error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(sql, connection);
        command.Parameters.Add(Channel(channel));
        command.Parameters.Add(SqlServerRows.Table("@ids", "dbo.helpdesk_event_id", SqlServerRows.EventIds(eventIds)));
        command.Parameters.Add("@at", SqlDbType.BigInt).Value = at.ToUnixTimeMilliseconds();
        if (sql.Contains("@error", StringComparison.Ordinal))
        {
            command.Parameters.Add("@error", SqlDbType.NVarChar, 2000).Value = error.Length > 2000 ? error[..2000] : error;
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static PendingDelivery Pending(string channel, SqlDataReader r)
    {
        var e = new IncidentEvent(Guid((byte[])r[2]), IncidentEventKindNames.Parse(r.GetString(3)), At(r.GetInt64(4)),
            r.GetInt64(5), r.GetInt32(6), r.IsDBNull(7) ? null : Guid((byte[])r[7]), IncidentNames.ParseStatus(r.GetString(8)),
            IncidentNames.ParsePriority(r.GetString(9)), r.GetString(10), NagiosNames.ParseState(r.GetString(11)), r.GetInt64(12),
            r.IsDBNull(13) ? null : r.GetInt64(13), r.GetString(14));
        var incident = new OutboundIncident(e.IncidentId, r.GetString(15), r.GetString(16), r.GetString(17), r.GetString(18), r.GetString(19))
        {
            Description = OutboundIncident.DescriptionFor(e.Kind, r.GetString(28)),
        };
        var sla = new IncidentSla(r.GetString(20), AtOrNull(r, 21), AtOrNull(r, 22), AtOrNull(r, 23), r.GetBoolean(24), r.GetBoolean(25), AtOrNull(r, 26), r.GetInt32(27));
        return new PendingDelivery(channel, e, incident, r.GetInt32(0), At(r.GetInt64(1))) { Sla = sla };
    }

    private static SqlParameter Channel(string channel) => new("@channel", SqlDbType.VarChar, 64) { Value = channel };

    private static Guid Guid(byte[] bytes) => new(bytes, bigEndian: true);

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? AtOrNull(SqlDataReader r, int i) => r.IsDBNull(i) ? null : At(r.GetInt64(i));
}
