using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

public sealed partial class SqliteIncidentStore
{
    // Prepared together on the writer the first time a plan is written, finalized together when the store closes.
    private SqliteCommitStatements Statements => _statements ??= new SqliteCommitStatements(Writer);

    public async ValueTask<CommitResult> CommitAsync(CommitPlan plan, CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            return Commit(Writer, plan);
        }
        catch (SqliteException ex) when (Unavailable(ex) is { } why)
        {
            throw new StoreUnavailableException($"the store {_options.Path} cannot take writes: {why} ({ex.Message.TrimEnd('.')})", ex);
        }
        finally
        {
            _writerGate.Release();
            _checkpointer?.Committed();
        }
    }

    /// <summary>Why SQLite refused a write for a reason outside the plan (SQLite's primary result codes), or null.</summary>
    private static string? Unavailable(SqliteException ex) => (ex.SqliteErrorCode & 0xff) switch
    {
        13 => "the disk is full",
        10 => "the file system reported an I/O error",
        8 => "the database or its file system is read-only",
        5 or 6 => "another process holds the database's lock (a backup, an sqlite3 shell?)",
        14 => "a file it needs cannot be opened (its folder's permissions, or the folder is gone?)",
        _ => null,
    };

    private CommitResult Commit(SqliteConnection connection, CommitPlan plan)
    {
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            if (InsertAppliedEvents(plan.Events))
            {
                var (changedElsewhere, deltas) = Write(plan);
                if (changedElsewhere.Count == 0)
                {
                    var folded = FoldIfDue(deltas);
                    transaction.Commit();
                    Committed(deltas, folded);
                    return CommitResult.Committed;
                }

                // Another instance wrote these incidents since this one read them: write nothing, say which.
                transaction.Rollback();
                return CommitResult.Conflict(changedElsewhere);
            }

            // Some events were applied before: this plan was decided on stale state. Write nothing, say which.
            transaction.Rollback();
        }

        return new CommitResult(Applied(connection, plan.Events.Select(e => e.EventId).ToList()));
    }

    /// <summary>
    /// Writes the plan's rows; returns the incidents whose timeline another writer extended first (then roll back) and
    /// the count deltas it appended.
    /// </summary>
    private (HashSet<long> ChangedElsewhere, int Deltas) Write(CommitPlan plan)
    {
        // Updates before inserts: a resolved incident leaves the one-open-per-identity index before its successor enters.
        var deltas = AppendDeltas(plan.Counters);
        deltas += UpdateMutableColumns(plan.Updates);
        InsertIncidents(plan.Inserts);
        UpsertMembers(plan.Members);
        var changedElsewhere = InsertIncidentEvents(plan.Timeline, plan.IncidentEvents);
        InsertDeliveries(plan.Deliveries);
        WriteDowntimes(plan.Downtimes);
        WriteEarlyRecoveries(plan);
        return (changedElsewhere, deltas);
    }

    private void WriteEarlyRecoveries(CommitPlan plan)
    {
        foreach (var (instance, host, service) in plan.LetGoRecoveries)
        {
            Statements.LetGoRecovery.Bind(1, instance).Bind(2, host).Bind(3, service).Execute();
        }

        Span<byte> id = stackalloc byte[16];
        foreach (var r in plan.HeldRecoveries)
        {
            r.EventId.TryWriteBytes(id, bigEndian: true, out _);
            Statements.HoldRecovery.Bind(1, r.Instance).Bind(2, r.Host).Bind(3, r.Service).Bind(4, r.TimeT).Bind(5, r.ProblemId).Bind(6, r.Output)
                .Bind(7, NagiosNames.Of(r.State)).Bind(8, id).Execute();
        }
    }

    private void WriteDowntimes(IReadOnlyCollection<ScheduledDowntime> downtimes)
    {
        foreach (var d in downtimes)
        {
            if (d.Since is { } since)
            {
                Statements.StartDowntime.Bind(1, d.Instance).Bind(2, d.Host).Bind(3, d.Service).Bind(4, ColumnText.Ms(since)).Execute();
            }
            else
            {
                Statements.EndDowntime.Bind(1, d.Instance).Bind(2, d.Host).Bind(3, d.Service).Execute();
            }
        }
    }

    /// <summary>The outbox: an event written before (the same clock decision by two instances) stays as it was.</summary>
    private void InsertDeliveries(IReadOnlyList<Delivery> deliveries)
    {
        var insert = Statements.InsertDelivery;
        Span<byte> id = stackalloc byte[16];
        foreach (var d in deliveries)
        {
            d.EventId.TryWriteBytes(id, bigEndian: true, out _);
            insert.Bind(1, d.Channel).Bind(2, id).Bind(3, d.IncidentId).Bind(4, d.Seq).Bind(5, d.Foldable ? 1 : 0).Bind(6, ColumnText.Ms(d.QueuedAt))
                .Bind(7, ColumnText.Ms(d.DueAt)).Execute();
        }
    }

    /// <summary>
    /// Appends the incident events, each with its timeline entry's kind (the timeline is read from them). An event
    /// already at its sequence number is the same decision written before (two instances closing or escalating the
    /// same incident by the clock: same kind, no cause) or proof of a stale plan: another writer's entry (another kind
    /// or cause) got there first. Returns those incidents; the caller then rolls back. Checked only when an insert
    /// finds its place taken, so the usual path costs nothing.
    /// </summary>
    private HashSet<long> InsertIncidentEvents(IReadOnlyList<TimelineEntry> entries, IReadOnlyList<IncidentEvent> events)
    {
        if (entries.Count != events.Count)
        {
            throw new InvalidOperationException($"the plan holds {entries.Count} timeline entries but {events.Count} incident events; each entry is one event");
        }

        HashSet<long> changedElsewhere = [];
        Span<byte> id = stackalloc byte[16];
        Span<byte> cause = stackalloc byte[16];
        for (var i = 0; i < events.Count; i++)
        {
            var (entry, e) = (entries[i], events[i]);
            if (entry.IncidentId != e.IncidentId || entry.Seq != e.Seq)
            {
                throw new InvalidOperationException($"timeline entry {entry.IncidentId}/{entry.Seq} is not beside its event {e.IncidentId}/{e.Seq}");
            }

            var insert = Statements.InsertIncidentEvent;
            e.Id.TryWriteBytes(id, bigEndian: true, out _);
            insert.Bind(1, e.IncidentId).Bind(2, e.Seq).Bind(3, id).Bind(4, IncidentEventKindNames.Of(e.Kind)).Bind(5, ColumnText.Ms(e.At))
                .Bind(7, IncidentNames.Of(e.Status)).Bind(8, IncidentNames.Of(e.Priority)).Bind(9, e.Tier).Bind(10, NagiosNames.Of(e.State))
                .Bind(11, e.AlertCount).Bind(12, e.MergedInto).Bind(13, e.Text).Bind(14, TimelineKindNames.Of(entry.Kind));
            if (e.Cause is { } c && c.TryWriteBytes(cause, bigEndian: true, out _))
            {
                insert.Bind(6, cause);
            }
            else
            {
                insert.BindNull(6);
            }

            if (insert.Execute() == 0 && !SameEntry(entry))
            {
                changedElsewhere.Add(e.IncidentId);
            }
        }

        return changedElsewhere;
    }

    private void UpsertMembers(IReadOnlyList<AlertMember> members)
    {
        foreach (var m in members)
        {
            var upsert = Statements.UpsertMember;
            upsert.Bind(1, m.IncidentId).Bind(2, m.Instance).Bind(3, m.Host).Bind(4, m.Service).Bind(5, m.Rule).Bind(6, m.Key)
                .Bind(7, NagiosNames.Of(m.State)).Bind(8, m.Recovered ? 1 : 0).Bind(9, m.ProblemId).Bind(10, m.AlertCount)
                .Bind(11, ColumnText.Ms(m.JoinedAt)).Bind(12, ColumnText.Ms(m.LastSeenAt)).Bind(13, m.LastOutput).Bind(14, m.Customer).Execute();
        }
    }

    /// <summary>Inserts the event ids; false when any was there already (the caller then writes nothing).</summary>
    private bool InsertAppliedEvents(IReadOnlyList<AppliedEvent> events)
    {
        var insert = Statements.InsertEvent;
        Span<byte> id = stackalloc byte[16];
        foreach (var e in events)
        {
            e.EventId.TryWriteBytes(id, bigEndian: true, out _);
            insert.Bind(1, id).Bind(2, e.IncidentId).Bind(3, IncidentNames.Of(e.Outcome)).Bind(4, ColumnText.Ms(e.At));
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

    private void InsertIncidents(IReadOnlyList<IncidentRecord> incidents)
    {
        foreach (var i in incidents)
        {
            var insert = Statements.InsertIncident;
            var row = new StatementRow(insert);
            IncidentColumns.Write(i, ref row);
            if (insert.Execute() == 0)
            {
                // Written by an earlier attempt of this same plan: bring its mutable columns to this plan's values.
                // Another incident under this id means another instance allocated it: refuse, the state is rebuilt.
                // Its count is set below, whole.
                EnsureSameIncident(i);
                UpdateRow(i.ToChange());
            }

            var counters = Statements.InsertCounters;
            counters.Bind(1, i.Id).Bind(2, i.AlertCount).Bind(3, ColumnText.Ms(i.LastSeenAt)).Execute();
            var description = Statements.InsertDescription;
            description.Bind(1, i.Id).Bind(2, i.Description).Execute();
        }
    }

    private void EnsureSameIncident(IncidentRecord i)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = "SELECT instance, host, service, opened_at FROM incident WHERE id = @id";
        command.Parameters.AddWithValue("@id", i.Id);
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.GetString(0) != i.Instance || reader.GetString(1) != i.Host || reader.GetString(2) != i.Service
            || reader.GetInt64(3) != ColumnText.Ms(i.OpenedAt))
        {
            throw new InvalidOperationException($"incident id {i.Id} is taken by another incident (another instance allocated it); rebuilding state");
        }
    }

    /// <summary>Rewrites each changed incident's row; its count goes to the deltas. Returns the deltas appended.</summary>
    private int UpdateMutableColumns(IReadOnlyList<IncidentChange> changes)
    {
        foreach (var c in changes)
        {
            UpdateRow(c);
            AppendDelta(c.Id, c.AlertsAdded, c.LastSeenAt);
        }

        return changes.Count;
    }

    private void UpdateRow(IncidentChange c)
    {
        var update = c.KeepsStatus ? Statements.UpdateIncidentKeepingStatus : Statements.UpdateIncident;
        var row = new StatementRow(update);
        IncidentColumns.WriteChange(c, ref row);
        update.Execute();
    }

    private bool SameEntry(TimelineEntry e)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = "SELECT kind, event_id FROM timeline WHERE incident_id = @id AND seq = @seq";
        command.Parameters.AddWithValue("@id", e.IncidentId);
        command.Parameters.AddWithValue("@seq", e.Seq);
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.GetString(0) != TimelineKindNames.Of(e.Kind))
        {
            return false;
        }

        var stored = reader.IsDBNull(1) ? (Guid?)null : new Guid((byte[])reader[1], bigEndian: true);
        return stored == e.EventId;
    }
}
