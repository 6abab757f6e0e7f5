using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>The delivery queue on SQLite: claims and marks are short writes on the writer, between the pipeline's commits.</summary>
public sealed partial class SqliteIncidentStore : IDeliveryQueue
{
    // Claim by moving next_at past the lease: the row is due again only if the claimant never marks it.
    private const string ClaimSql = """
        UPDATE delivery SET next_at = @lease, attempts = attempts + 1
        WHERE (channel, event_id) IN (
            SELECT d.channel, d.event_id FROM delivery d
            WHERE d.channel = @channel AND d.state = 'pending' AND d.next_at <= @now
              AND NOT EXISTS (SELECT 1 FROM delivery p WHERE p.channel = d.channel AND p.incident_id = d.incident_id
                              AND p.state = 'pending' AND p.seq < d.seq)
            ORDER BY d.next_at, d.incident_id, d.seq LIMIT @limit)
        RETURNING event_id, incident_id, seq, foldable
        """;

    // The foldable events right behind a claimed foldable one, up to the incident's next event that is not foldable.
    private const string ClaimRunSql = """
        UPDATE delivery SET next_at = @lease, attempts = attempts + 1
        WHERE channel = @channel AND incident_id = @incident AND state = 'pending' AND seq > @seq AND foldable = 1
          AND seq < COALESCE((SELECT MIN(x.seq) FROM delivery x WHERE x.channel = @channel AND x.incident_id = @incident
                              AND x.state = 'pending' AND x.seq > @seq AND x.foldable = 0), 9223372036854775807)
        RETURNING event_id, seq
        """;

    private const string ClaimedSql = """
        SELECT d.attempts, d.queued_at, e.event_id, e.kind, e.at, e.incident_id, e.seq, e.cause, e.status, e.priority, e.tier, e.state,
               e.alert_count, e.merged_into, e.text, i.title, i.team, i.customer, i.host, i.service,
               i.sla_calendar, i.sla_started_at, i.response_due_at, i.resolution_due_at, i.response_breached, i.resolution_breached,
               i.sla_paused_at, i.escalations,
               CASE WHEN e.kind IN ('opened', 'reopened') THEN COALESCE((SELECT x.description FROM incident_description x WHERE x.id = d.incident_id), '') ELSE '' END
        FROM delivery d JOIN incident_event e ON e.incident_id = d.incident_id AND e.seq = d.seq JOIN incident i ON i.id = d.incident_id
        WHERE d.channel = @channel AND d.event_id = @id
        """;

    public async ValueTask<IReadOnlyList<PendingDelivery>> ClaimDueAsync(string channel, DateTimeOffset now, DateTimeOffset leaseUntil, int limit,
        CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = Writer.BeginTransaction(deferred: false);
            var claimed = new List<(byte[] Id, long Incident, long Seq, bool Foldable)>();
            using (var claim = Writer.CreateCommand())
            {
                claim.Transaction = transaction;
                claim.CommandText = ClaimSql;
                claim.Parameters.AddWithValue("@channel", channel);
                claim.Parameters.AddWithValue("@now", ColumnText.Ms(now));
                claim.Parameters.AddWithValue("@lease", ColumnText.Ms(leaseUntil));
                claim.Parameters.AddWithValue("@limit", limit);
                using var reader = claim.ExecuteReader();
                while (reader.Read())
                {
                    claimed.Add(((byte[])reader[0], reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3) != 0));
                }
            }

            // Each claimed delivery, with the run folded into it: the message shows the run's latest event.
            var runs = new List<(byte[] Shown, List<Guid> Folded)>(claimed.Count);
            using (var run = Writer.CreateCommand())
            {
                run.Transaction = transaction;
                run.CommandText = ClaimRunSql;
                run.Parameters.AddWithValue("@channel", channel);
                run.Parameters.AddWithValue("@lease", ColumnText.Ms(leaseUntil));
                var incident = run.Parameters.Add("@incident", SqliteType.Integer);
                var seq = run.Parameters.Add("@seq", SqliteType.Integer);
                foreach (var c in claimed)
                {
                    if (!c.Foldable)
                    {
                        runs.Add((c.Id, []));
                        continue;
                    }

                    incident.Value = c.Incident;
                    seq.Value = c.Seq;
                    var behind = new List<(byte[] Id, long Seq)>();
                    using (var reader = run.ExecuteReader())
                    {
                        while (reader.Read())
                        {
                            behind.Add(((byte[])reader[0], reader.GetInt64(1)));
                        }
                    }

                    if (behind.Count == 0)
                    {
                        runs.Add((c.Id, []));
                        continue;
                    }

                    var ordered = behind.OrderBy(b => b.Seq).ToList();
                    runs.Add((ordered[^1].Id, [ColumnText.Guid(c.Id), .. ordered.SkipLast(1).Select(b => ColumnText.Guid(b.Id))]));
                }
            }

            var deliveries = new List<PendingDelivery>(runs.Count);
            using (var read = Writer.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = ClaimedSql;
                read.Parameters.AddWithValue("@channel", channel);
                var id = read.Parameters.Add("@id", SqliteType.Blob);
                foreach (var (shown, folded) in runs)
                {
                    id.Value = shown;
                    using var reader = read.ExecuteReader();
                    if (reader.Read())
                    {
                        deliveries.Add(Pending(channel, reader) with { Folded = folded });
                    }
                }
            }

            transaction.Commit();

            // Claimed in due order; the reads above went by id.
            return [.. deliveries.OrderBy(d => d.QueuedAt).ThenBy(d => d.Event.IncidentId).ThenBy(d => d.Event.Seq)];
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public async ValueTask<DateTimeOffset?> NextDueAsync(string channel, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // Only the first waiting event of each incident can be claimed: the ones behind it come due after it is sent.
        command.CommandText = """
            SELECT MIN(d.next_at) FROM delivery d
            WHERE d.channel = @channel AND d.state = 'pending'
              AND NOT EXISTS (SELECT 1 FROM delivery p WHERE p.channel = d.channel AND p.incident_id = d.incident_id
                              AND p.state = 'pending' AND p.seq < d.seq)
            """;
        command.Parameters.AddWithValue("@channel", channel);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? ColumnText.At(ms) : null;
    }

    public ValueTask MarkSentAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, CancellationToken cancellationToken) =>
        MarkAsync("UPDATE delivery SET state = 'sent', done_at = @at, last_error = '' WHERE channel = @channel AND event_id = @id",
            channel, eventIds, at, "", cancellationToken);

    public ValueTask MarkRetryAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset nextAt, string error, CancellationToken cancellationToken) =>
        MarkAsync("UPDATE delivery SET next_at = @at, last_error = @error WHERE channel = @channel AND event_id = @id AND state = 'pending'",
            channel, eventIds, nextAt, error, cancellationToken);

    public ValueTask MarkDeadAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, string error, CancellationToken cancellationToken) =>
        MarkAsync("UPDATE delivery SET state = 'dead', done_at = @at, last_error = @error WHERE channel = @channel AND event_id = @id AND state = 'pending'",
            channel, eventIds, at, error, cancellationToken);

    // Back to waiting, with a fresh count of attempts; the note says who did it, in front of the receiver's last answer.
    private const string RequeueSet = "state = 'pending', attempts = 0, next_at = @now, done_at = NULL, last_error = @note || '; before: ' || last_error";

    public async ValueTask<int> RequeueDeadAsync(string channel, IReadOnlyList<Guid> eventIds, int limit, DateTimeOffset now, string note,
        CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = Writer.BeginTransaction(deferred: false);
            using var command = Writer.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("@channel", channel);
            command.Parameters.AddWithValue("@now", ColumnText.Ms(now));
            command.Parameters.AddWithValue("@note", note);
            var requeued = 0;
            if (eventIds.Count == 0)
            {
                command.CommandText = $"""
                    UPDATE delivery SET {RequeueSet}
                    WHERE (channel, event_id) IN (SELECT channel, event_id FROM delivery WHERE channel = @channel AND state = 'dead'
                                                  ORDER BY queued_at, incident_id, seq LIMIT @limit)
                    """;
                command.Parameters.AddWithValue("@limit", limit);
                requeued = command.ExecuteNonQuery();
            }
            else
            {
                command.CommandText = $"UPDATE delivery SET {RequeueSet} WHERE channel = @channel AND event_id = @id AND state = 'dead'";
                var id = command.Parameters.Add("@id", SqliteType.Blob);
                foreach (var eventId in eventIds.Distinct())
                {
                    id.Value = ColumnText.Bytes(eventId);
                    requeued += command.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            return requeued;
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public async ValueTask<int> PruneDoneAsync(DateTimeOffset doneBefore, int maxRows, CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            using var command = Writer.CreateCommand();
            command.CommandText = "DELETE FROM delivery WHERE (channel, event_id) IN (SELECT channel, event_id FROM delivery WHERE state IN ('sent', 'dead') AND done_at < @cutoff LIMIT @max)";
            command.Parameters.AddWithValue("@cutoff", ColumnText.Ms(doneBefore));
            command.Parameters.AddWithValue("@max", maxRows);
            return command.ExecuteNonQuery();
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public async ValueTask<IReadOnlyList<ChannelBacklog>> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT channel, SUM(pending), SUM(dead) FROM (
                SELECT channel, COUNT(*) AS pending, 0 AS dead FROM delivery WHERE state = 'pending' GROUP BY channel
                UNION ALL
                SELECT channel, 0, COUNT(*) FROM delivery WHERE state = 'dead' GROUP BY channel)
            GROUP BY channel ORDER BY channel
            """;
        var backlog = new List<ChannelBacklog>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (reader.Read())
        {
            backlog.Add(new ChannelBacklog(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return backlog;
    }

    /// <summary>Marks a delivery and the events folded into it, in one transaction.</summary>
    public async ValueTask<IReadOnlyList<DeliveryState>> ListAsync(string state, string? channel, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT d.channel, d.event_id, d.incident_id, e.kind, d.state, d.attempts, d.queued_at, d.next_at, d.done_at, d.last_error
            FROM delivery d JOIN incident_event e ON e.incident_id = d.incident_id AND e.seq = d.seq
            WHERE d.state = @state{(channel is null ? "" : " AND d.channel = @channel")}
            ORDER BY d.queued_at DESC, d.incident_id DESC, d.seq DESC LIMIT @limit
            """;
        command.Parameters.AddWithValue("@state", state);
        command.Parameters.AddWithValue("@limit", limit);
        if (channel is not null)
        {
            command.Parameters.AddWithValue("@channel", channel);
        }

        var list = new List<DeliveryState>();
        using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (r.Read())
        {
            list.Add(new DeliveryState(r.GetString(0), ColumnText.Guid((byte[])r[1]), r.GetInt64(2), IncidentEventKindNames.Parse(r.GetString(3)), r.GetString(4),
                r.GetInt32(5), ColumnText.At(r.GetInt64(6)), ColumnText.At(r.GetInt64(7)), At(r, 8), r.GetString(9)));
        }

        return list;
    }

    private async ValueTask MarkAsync(string sql, string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, string error, CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = Writer.BeginTransaction(deferred: false);
            using var command = Writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("@channel", channel);
            var id = command.Parameters.Add("@id", SqliteType.Blob);
            command.Parameters.AddWithValue("@at", ColumnText.Ms(at));
            command.Parameters.AddWithValue("@error", error);
            foreach (var eventId in eventIds)
            {
                id.Value = ColumnText.Bytes(eventId);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        finally
        {
            _writerGate.Release();
        }
    }

    private static PendingDelivery Pending(string channel, SqliteDataReader r)
    {
        var e = new IncidentEvent(ColumnText.Guid((byte[])r[2]), IncidentEventKindNames.Parse(r.GetString(3)), ColumnText.At(r.GetInt64(4)),
            r.GetInt64(5), r.GetInt32(6), r.IsDBNull(7) ? null : ColumnText.Guid((byte[])r[7]), IncidentNames.ParseStatus(r.GetString(8)),
            IncidentNames.ParsePriority(r.GetString(9)), r.GetString(10), NagiosNames.ParseState(r.GetString(11)), r.GetInt64(12),
            r.IsDBNull(13) ? null : r.GetInt64(13), r.GetString(14));
        var incident = new OutboundIncident(e.IncidentId, r.GetString(15), r.GetString(16), r.GetString(17), r.GetString(18), r.GetString(19))
        {
            Description = OutboundIncident.DescriptionFor(e.Kind, r.GetString(28)),
        };
        var sla = new IncidentSla(r.GetString(20), At(r, 21), At(r, 22), At(r, 23), r.GetInt64(24) != 0, r.GetInt64(25) != 0, At(r, 26), r.GetInt32(27));
        return new PendingDelivery(channel, e, incident, r.GetInt32(0), ColumnText.At(r.GetInt64(1))) { Sla = sla };
    }

    private static DateTimeOffset? At(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : ColumnText.At(r.GetInt64(i));
}
