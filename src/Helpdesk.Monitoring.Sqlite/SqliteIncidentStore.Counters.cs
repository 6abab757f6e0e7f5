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
    private const string FoldSql =
        "UPDATE incident_counter SET alert_count = alert_count + p.added, last_seen_at = MAX(incident_counter.last_seen_at, p.last_seen_at) "
        + "FROM (SELECT incident_id, SUM(added) AS added, MAX(last_seen_at) AS last_seen_at FROM counter_delta GROUP BY incident_id) AS p "
        + "WHERE incident_counter.id = p.incident_id; DELETE FROM counter_delta";

    // Owned by whoever holds the writer gate: rows in counter_delta, and when they were last folded. The fold is the
    // store's own housekeeping, like SQLite's checkpoints: it runs on real elapsed time (monotonic), not on the
    // service's TimeProvider, so a test's frozen clock does not stop it and a stepped wall clock does not hurry it.
    private int _pendingDeltas;
    private long _lastFold = Stopwatch.GetTimestamp();
    private Timer? _idleFold;

    /// <summary>Appends what each change adds; returns the rows written (counted as pending once the commit holds).</summary>
    private int AppendDeltas(IReadOnlyList<CounterChange> counters)
    {
        foreach (var c in counters)
        {
            AppendDelta(c.Id, c.AlertsAdded, c.LastSeenAt);
        }

        return counters.Count;
    }

    private void AppendDelta(long id, long added, DateTimeOffset lastSeenAt) =>
        Statements.InsertDelta.Bind(1, id).Bind(2, added).Bind(3, ColumnText.Ms(lastSeenAt)).Execute();

    /// <summary>Inside the commit's transaction: true when it folded every pending row, this commit's included.</summary>
    private bool FoldIfDue(int appended)
    {
        var pending = _pendingDeltas + appended;
        if (pending == 0 || (pending < _options.FoldAtRows && Stopwatch.GetElapsedTime(_lastFold) < _options.FoldEvery))
        {
            return false;
        }

        Fold();
        return true;
    }

    /// <summary>After a commit: the rows it left pending are folded by the next due commit, or by the timer when none comes.</summary>
    private void Committed(int appended, bool folded)
    {
        if (folded)
        {
            _pendingDeltas = 0;
            _lastFold = Stopwatch.GetTimestamp();
            return;
        }

        _pendingDeltas += appended;
        if (appended > 0)
        {
            _idleFold ??= new Timer(_ => _ = FoldWhenIdleAsync());
            _idleFold.Change(_options.FoldEvery, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fold()
    {
        using var command = Writer.CreateCommand();
        command.CommandText = FoldSql;
        command.ExecuteNonQuery();
    }

    /// <summary>Folds everything pending in a transaction of its own: at start (what a crash left) and when commits stop.</summary>
    private void FoldAll()
    {
        using var transaction = Writer.BeginTransaction(deferred: false);
        Fold();
        transaction.Commit();
        _pendingDeltas = 0;
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
            if (_writer is not null && _pendingDeltas > 0)
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
