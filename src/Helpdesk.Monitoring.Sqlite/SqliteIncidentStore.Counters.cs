using System.Diagnostics;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// Alert counts, written as deltas. What a commit adds to an incident's count is appended to counter_delta (the end
/// of one table: a few pages per commit, however many incidents a storm repeats on) and folded into incident_counter
/// every 2 seconds under load, inside a commit that runs anyway, or by a timer once commits stop. Readers see the sum
/// through incident_row, so a count is never behind; a crash before a fold loses nothing, the next start folds it.
/// </summary>
public sealed partial class SqliteIncidentStore
{
    // What a start (or the idle timer) folds: whatever the table holds, grouped in SQL.
    private const string FoldAllSql =
        "UPDATE incident_counter SET alert_count = alert_count + p.added, last_seen_at = MAX(incident_counter.last_seen_at, p.last_seen_at) "
        + "FROM (SELECT incident_id, SUM(added) AS added, MAX(last_seen_at) AS last_seen_at FROM counter_delta GROUP BY incident_id) AS p "
        + "WHERE incident_counter.id = p.incident_id; DELETE FROM counter_delta";

    // Owned by whoever holds the writer gate: the committed rows in counter_delta, and when they were last folded. The
    // fold is the store's own housekeeping, like SQLite's checkpoints: it runs on real elapsed time (monotonic), not
    // on the service's TimeProvider, so a test's frozen clock does not stop it and a stepped wall clock does not hurry it.
    private readonly PendingCounts _pending = new();
    private long _lastFold = Stopwatch.GetTimestamp();
    private Timer? _idleFold;

    /// <summary>Appends what each change adds (counted as pending once the commit holds: <see cref="Committed"/>).</summary>
    private void AppendDeltas(IReadOnlyList<CounterChange> counters)
    {
        foreach (var c in counters)
        {
            AppendDelta(c.Id, c.AlertsAdded, c.LastSeenAt);
        }
    }

    private void AppendDelta(long id, long added, DateTimeOffset lastSeenAt) =>
        Statements.InsertDelta.Bind(1, id).Bind(2, added).Bind(3, ColumnText.Ms(lastSeenAt)).Execute();

    /// <summary>
    /// Inside the commit's transaction, before its own rows: true when it folded every row then in counter_delta (all
    /// committed, all in the writer's sums). Each incident's sum is added with one keyed update, and the table is
    /// emptied whole (SQLite drops its pages without visiting the rows); this commit's rows then start the next fold's.
    /// Due every <see cref="SqliteStoreOptions.FoldEvery"/>, or sooner once this commit would take the table past
    /// <see cref="SqliteStoreOptions.FoldAtRows"/>.
    /// </summary>
    private bool FoldIfDue(CommitPlan plan)
    {
        var appended = plan.Counters.Count + plan.Updates.Count;
        if (_pending.Rows == 0 || (_pending.Rows + appended < _options.FoldAtRows && Stopwatch.GetElapsedTime(_lastFold) < _options.FoldEvery))
        {
            return false;
        }

        var add = Statements.FoldCount;
        foreach (var (id, sum) in _pending)
        {
            add.Bind(1, id).Bind(2, sum.Added).Bind(3, sum.LastSeenMs).Execute();
        }

        Statements.DeleteDeltas.Execute();
        return true;
    }

    /// <summary>After a commit: its rows are pending, for the next due commit to fold, or the timer when none comes.</summary>
    private void Committed(CommitPlan plan, bool folded)
    {
        if (folded)
        {
            _pending.Clear();
            _lastFold = Stopwatch.GetTimestamp();
        }

        // The same rows Write appended: one per counter change and one per update.
        foreach (var c in plan.Counters)
        {
            _pending.Add(c.Id, c.AlertsAdded, ColumnText.Ms(c.LastSeenAt));
        }

        foreach (var c in plan.Updates)
        {
            _pending.Add(c.Id, c.AlertsAdded, ColumnText.Ms(c.LastSeenAt));
        }

        if (_pending.Rows > 0)
        {
            _idleFold ??= new Timer(_ => _ = FoldWhenIdleAsync());
            _idleFold.Change(_options.FoldEvery, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Folds everything pending in a transaction of its own: at start (what a crash left) and when commits stop.</summary>
    private void FoldAll()
    {
        using (var transaction = Writer.BeginTransaction(deferred: false))
        {
            using var command = Writer.CreateCommand();
            command.CommandText = FoldAllSql;
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        _pending.Clear();
        _lastFold = Stopwatch.GetTimestamp();
    }

    private async Task FoldWhenIdleAsync()
    {
        try
        {
            await _writerGate.WaitAsync();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            if (_writer is not null && _pending.Rows > 0)
            {
                FoldAll();
            }
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            // A full disk or a closing store: the rows stay pending and readers still see them; the next commit folds.
        }
        finally
        {
            _writerGate.Release();
        }
    }
}
