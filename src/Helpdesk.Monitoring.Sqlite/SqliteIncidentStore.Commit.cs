using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

public sealed partial class SqliteIncidentStore
{
    private const string InsertEvent =
        "INSERT INTO applied_event (event_id, incident_id, outcome, applied_at, event_ms) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";

    private const string InsertIncident =
        "INSERT INTO incident (id, instance, host, service, customer, title, description, status, priority, state, worst_state, last_output, "
        + "problem_id, opened_at, acknowledged_at, acknowledged_by, acknowledgement_comment, resolved_at, closed_at, reopen_count, updated_at, "
        + "timeline_count) VALUES (@id, @instance, @host, @service, @customer, @title, @description, @status, @priority, "
        + "@state, @worst_state, @last_output, @problem_id, @opened_at, @acknowledged_at, @acknowledged_by, "
        + "@acknowledgement_comment, @resolved_at, @closed_at, @reopen_count, @updated_at, @timeline_count) "
        + "ON CONFLICT (id) DO NOTHING";

    private const string UpdateIncident =
        "UPDATE incident SET status = @status, priority = @priority, state = @state, worst_state = @worst_state, last_output = @last_output, "
        + "acknowledged_at = @acknowledged_at, acknowledged_by = @acknowledged_by, "
        + "acknowledgement_comment = @acknowledgement_comment, resolved_at = @resolved_at, closed_at = @closed_at, "
        + "reopen_count = @reopen_count, updated_at = @updated_at, timeline_count = @timeline_count WHERE id = @id";

    private const string UpdateCounters = "UPDATE incident_counter SET alert_count = ?2, last_seen_at = ?3 WHERE id = ?1";

    private const string InsertCounters =
        "INSERT INTO incident_counter (id, alert_count, last_seen_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET alert_count = ?2, last_seen_at = ?3";

    private const string InsertTimeline =
        "INSERT INTO timeline (incident_id, seq, at, kind, event_id, text) VALUES (@incident, @seq, @at, @kind, @event, @text) ON CONFLICT DO NOTHING";

    public async ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            return Commit(Writer, plan);
        }
        finally
        {
            _writerGate.Release();
        }
    }

    private CommitResult Commit(SqliteConnection connection, CommitPlan plan)
    {
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            if (InsertAppliedEvents(plan.Events))
            {
                Write(connection, transaction, plan);
                transaction.Commit();
                return CommitResult.Committed;
            }

            // Some events were applied before: this plan was decided on stale state. Write nothing, say which.
            transaction.Rollback();
        }

        return new CommitResult(Applied(connection, plan.Events.Select(e => e.EventId).ToList()));
    }

    private void Write(SqliteConnection connection, SqliteTransaction transaction, CommitPlan plan)
    {
        // Updates before inserts: a resolved incident leaves the one-open-per-identity index before its successor enters.
        UpdateCounterColumns(plan.Counters);
        UpdateMutableColumns(connection, transaction, plan.Updates);
        InsertIncidents(connection, transaction, plan.Inserts);
        InsertTimelineEntries(connection, transaction, plan.Timeline);
    }

    /// <summary>Inserts the event ids; false when any was there already (the caller then writes nothing).</summary>
    private bool InsertAppliedEvents(IReadOnlyList<AppliedEvent> events)
    {
        var insert = _insertEvent ??= new RawStatement(Writer, InsertEvent);
        Span<byte> id = stackalloc byte[16];
        foreach (var e in events)
        {
            e.EventId.TryWriteBytes(id, bigEndian: true, out _);
            insert.Bind(1, id).Bind(2, e.IncidentId).Bind(3, ColumnText.Of(e.Outcome)).Bind(4, ColumnText.Ms(e.At));
            if (SeenEvents.TryGetUnixMs(e.EventId, out var ms))
            {
                insert.Bind(5, ms);
            }
            else
            {
                insert.BindNull(5);
            }

            if (insert.Execute() == 0)
            {
                return false;
            }
        }

        return true;
    }

    private void InsertIncidents(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IncidentRecord> incidents)
    {
        if (incidents.Count == 0)
        {
            return;
        }

        using var command = Command(connection, transaction, InsertIncident,
            "@id", "@instance", "@host", "@service", "@customer", "@title", "@description", "@status", "@priority", "@state", "@worst_state",
            "@last_output", "@problem_id", "@opened_at", "@acknowledged_at", "@acknowledged_by",
            "@acknowledgement_comment", "@resolved_at", "@closed_at", "@reopen_count", "@updated_at", "@timeline_count");
        var p = command.Parameters;
        var counters = _insertCounters ??= new RawStatement(Writer, InsertCounters);
        foreach (var i in incidents)
        {
            p[0].Value = i.Id;
            p[1].Value = i.Instance;
            p[2].Value = i.Host;
            p[3].Value = i.Service;
            p[4].Value = i.Customer;
            p[5].Value = i.Title;
            p[6].Value = i.Description;
            p[7].Value = ColumnText.Of(i.Status);
            p[8].Value = ColumnText.Of(i.Priority);
            p[9].Value = NagiosNames.Of(i.State);
            p[10].Value = NagiosNames.Of(i.WorstState);
            p[11].Value = i.LastOutput;
            p[12].Value = i.ProblemId;
            p[13].Value = ColumnText.Ms(i.OpenedAt);
            p[14].Value = ColumnText.Ms(i.AcknowledgedAt);
            p[15].Value = i.AcknowledgedBy;
            p[16].Value = i.AcknowledgementComment;
            p[17].Value = ColumnText.Ms(i.ResolvedAt);
            p[18].Value = ColumnText.Ms(i.ClosedAt);
            p[19].Value = i.ReopenCount;
            p[20].Value = ColumnText.Ms(i.UpdatedAt);
            p[21].Value = i.TimelineCount;
            if (command.ExecuteNonQuery() == 0)
            {
                // Written by an earlier attempt of this same plan: bring its mutable columns to this plan's values.
                UpdateMutableColumns(connection, transaction, [i.ToChange()]);
            }

            counters.Bind(1, i.Id).Bind(2, i.AlertCount).Bind(3, ColumnText.Ms(i.LastSeenAt)).Execute();
        }
    }

    private void UpdateMutableColumns(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IncidentChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        using var command = Command(connection, transaction, UpdateIncident,
            "@id", "@status", "@priority", "@state", "@worst_state", "@last_output", "@acknowledged_at",
            "@acknowledged_by", "@acknowledgement_comment", "@resolved_at", "@closed_at", "@reopen_count", "@updated_at", "@timeline_count");
        var p = command.Parameters;
        var counters = _updateCounters ??= new RawStatement(Writer, UpdateCounters);
        foreach (var c in changes)
        {
            p[0].Value = c.Id;
            p[1].Value = ColumnText.Of(c.Status);
            p[2].Value = ColumnText.Of(c.Priority);
            p[3].Value = NagiosNames.Of(c.State);
            p[4].Value = NagiosNames.Of(c.WorstState);
            p[5].Value = c.LastOutput;
            p[6].Value = ColumnText.Ms(c.AcknowledgedAt);
            p[7].Value = c.AcknowledgedBy;
            p[8].Value = c.AcknowledgementComment;
            p[9].Value = ColumnText.Ms(c.ResolvedAt);
            p[10].Value = ColumnText.Ms(c.ClosedAt);
            p[11].Value = c.ReopenCount;
            p[12].Value = ColumnText.Ms(c.UpdatedAt);
            p[13].Value = c.TimelineCount;
            command.ExecuteNonQuery();
            counters.Bind(1, c.Id).Bind(2, c.AlertCount).Bind(3, ColumnText.Ms(c.LastSeenAt)).Execute();
        }
    }

    private void UpdateCounterColumns(IReadOnlyList<CounterChange> counters)
    {
        var update = _updateCounters ??= new RawStatement(Writer, UpdateCounters);
        foreach (var c in counters)
        {
            update.Bind(1, c.Id).Bind(2, c.AlertCount).Bind(3, ColumnText.Ms(c.LastSeenAt)).Execute();
        }
    }

    private static void InsertTimelineEntries(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<TimelineEntry> entries)
    {
        using var command = Command(connection, transaction, InsertTimeline, "@incident", "@seq", "@at", "@kind", "@event", "@text");
        var p = command.Parameters;
        foreach (var e in entries)
        {
            p[0].Value = e.IncidentId;
            p[1].Value = e.Seq;
            p[2].Value = ColumnText.Ms(e.At);
            p[3].Value = ColumnText.Of(e.Kind);
            p[4].Value = e.EventId is { } id ? ColumnText.Bytes(id) : DBNull.Value;
            p[5].Value = e.Text;
            command.ExecuteNonQuery();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
