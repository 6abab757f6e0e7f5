using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

public sealed partial class SqliteIncidentStore
{
    private const string InsertEvent =
        "INSERT INTO applied_event (event_id, incident_id, outcome, applied_at, event_ms) VALUES (@id, @incident, @outcome, @at, @ms) ON CONFLICT DO NOTHING";

    private const string InsertIncident =
        $"INSERT INTO incident ({IncidentColumns.List}) VALUES (@id, @instance, @host, @service, @customer, @title, @description, @status, @priority, "
        + "@state, @worst_state, @last_output, @problem_id, @alert_count, @opened_at, @last_seen_at, @acknowledged_at, @acknowledged_by, "
        + "@acknowledgement_comment, @resolved_at, @closed_at, @reopen_count, @updated_at, @timeline_count) "
        + "ON CONFLICT (id) DO NOTHING";

    private const string UpdateIncident =
        "UPDATE incident SET status = @status, priority = @priority, state = @state, worst_state = @worst_state, last_output = @last_output, "
        + "alert_count = @alert_count, last_seen_at = @last_seen_at, acknowledged_at = @acknowledged_at, acknowledged_by = @acknowledged_by, "
        + "acknowledgement_comment = @acknowledgement_comment, resolved_at = @resolved_at, closed_at = @closed_at, "
        + "reopen_count = @reopen_count, updated_at = @updated_at, timeline_count = @timeline_count WHERE id = @id";

    private const string UpdateCounters = "UPDATE incident SET alert_count = @alert_count, last_seen_at = @last_seen_at WHERE id = @id";

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

    private static CommitResult Commit(SqliteConnection connection, CommitPlan plan)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var conflicts = InsertEvents(connection, transaction, plan.Events);
        if (conflicts is not null)
        {
            // Some events were applied before: this plan was decided on stale state. Write nothing.
            transaction.Rollback();
            return new CommitResult(conflicts);
        }

        // Updates before inserts: a resolved incident leaves the one-open-per-identity index before its successor enters.
        UpdateCounterColumns(connection, transaction, plan.Counters);
        UpdateMutableColumns(connection, transaction, plan.Updates);
        InsertIncidents(connection, transaction, plan.Inserts);
        InsertTimelineEntries(connection, transaction, plan.Timeline);
        transaction.Commit();
        return CommitResult.Committed;
    }

    private static List<Guid>? InsertEvents(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<AppliedEvent> events)
    {
        using var command = Command(connection, transaction, InsertEvent, "@id", "@incident", "@outcome", "@at", "@ms");
        var p = command.Parameters;
        List<Guid>? conflicts = null;
        foreach (var e in events)
        {
            p[0].Value = ColumnText.Bytes(e.EventId);
            p[1].Value = e.IncidentId;
            p[2].Value = ColumnText.Of(e.Outcome);
            p[3].Value = ColumnText.Ms(e.At);
            p[4].Value = SeenEvents.TryGetUnixMs(e.EventId, out var ms) ? ms : DBNull.Value;
            if (command.ExecuteNonQuery() == 0)
            {
                (conflicts ??= []).Add(e.EventId);
            }
        }

        return conflicts;
    }

    private static void InsertIncidents(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IncidentRecord> incidents)
    {
        if (incidents.Count == 0)
        {
            return;
        }

        using var command = Command(connection, transaction, InsertIncident,
            "@id", "@instance", "@host", "@service", "@customer", "@title", "@description", "@status", "@priority", "@state", "@worst_state",
            "@last_output", "@problem_id", "@alert_count", "@opened_at", "@last_seen_at", "@acknowledged_at", "@acknowledged_by",
            "@acknowledgement_comment", "@resolved_at", "@closed_at", "@reopen_count", "@updated_at", "@timeline_count");
        var p = command.Parameters;
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
            p[13].Value = i.AlertCount;
            p[14].Value = ColumnText.Ms(i.OpenedAt);
            p[15].Value = ColumnText.Ms(i.LastSeenAt);
            p[16].Value = ColumnText.Ms(i.AcknowledgedAt);
            p[17].Value = i.AcknowledgedBy;
            p[18].Value = i.AcknowledgementComment;
            p[19].Value = ColumnText.Ms(i.ResolvedAt);
            p[20].Value = ColumnText.Ms(i.ClosedAt);
            p[21].Value = i.ReopenCount;
            p[22].Value = ColumnText.Ms(i.UpdatedAt);
            p[23].Value = i.TimelineCount;
            if (command.ExecuteNonQuery() == 0)
            {
                // Written by an earlier attempt of this same plan: bring its mutable columns to this plan's values.
                UpdateMutableColumns(connection, transaction, [i.ToChange()]);
            }
        }
    }

    private static void UpdateMutableColumns(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IncidentChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        using var command = Command(connection, transaction, UpdateIncident,
            "@id", "@status", "@priority", "@state", "@worst_state", "@last_output", "@alert_count", "@last_seen_at", "@acknowledged_at",
            "@acknowledged_by", "@acknowledgement_comment", "@resolved_at", "@closed_at", "@reopen_count", "@updated_at", "@timeline_count");
        var p = command.Parameters;
        foreach (var c in changes)
        {
            p[0].Value = c.Id;
            p[1].Value = ColumnText.Of(c.Status);
            p[2].Value = ColumnText.Of(c.Priority);
            p[3].Value = NagiosNames.Of(c.State);
            p[4].Value = NagiosNames.Of(c.WorstState);
            p[5].Value = c.LastOutput;
            p[6].Value = c.AlertCount;
            p[7].Value = ColumnText.Ms(c.LastSeenAt);
            p[8].Value = ColumnText.Ms(c.AcknowledgedAt);
            p[9].Value = c.AcknowledgedBy;
            p[10].Value = c.AcknowledgementComment;
            p[11].Value = ColumnText.Ms(c.ResolvedAt);
            p[12].Value = ColumnText.Ms(c.ClosedAt);
            p[13].Value = c.ReopenCount;
            p[14].Value = ColumnText.Ms(c.UpdatedAt);
            p[15].Value = c.TimelineCount;
            command.ExecuteNonQuery();
        }
    }

    private static void UpdateCounterColumns(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<CounterChange> counters)
    {
        if (counters.Count == 0)
        {
            return;
        }

        using var command = Command(connection, transaction, UpdateCounters, "@id", "@alert_count", "@last_seen_at");
        var p = command.Parameters;
        foreach (var c in counters)
        {
            p[0].Value = c.Id;
            p[1].Value = c.AlertCount;
            p[2].Value = ColumnText.Ms(c.LastSeenAt);
            command.ExecuteNonQuery();
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
