using System.Diagnostics;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// Alert counts, written as deltas. What a commit adds to an incident's count is appended to counter_delta (the end
/// of one table: a few pages per commit, however many incidents a storm repeats on) and folded into incident_counter
/// about every 2 seconds under load, a slice at a time in the commits that run anyway (<see cref="CounterFold"/>), or
/// whole by a timer once commits stop. Readers see the sum through incident_row, so a count is never behind; a crash
/// before or during a fold loses nothing, the next start folds what is left.
/// </summary>
public sealed partial class SqliteIncidentStore
{
    // Everything not yet in incident_counter, whole: at start (what a crash left, a cycle's unfolded part included) and
    // while no commit comes. The WHERE is incident_row's: rows a running cycle has folded are left out.
    private const string FoldAllSql =
        "UPDATE incident_counter SET alert_count = alert_count + p.added, last_seen_at = MAX(incident_counter.last_seen_at, p.last_seen_at) "
        + "FROM (SELECT incident_id, SUM(added) AS added, MAX(last_seen_at) AS last_seen_at FROM counter_delta "
        + "WHERE rowid > (SELECT upto FROM counter_fold) OR incident_id >= (SELECT done_below FROM counter_fold) GROUP BY incident_id) AS p "
        + "WHERE incident_counter.id = p.incident_id; DELETE FROM counter_delta; UPDATE counter_fold SET upto = 0, done_below = 0";

    // The fold is the store's own housekeeping, like SQLite's checkpoints: it runs on real elapsed time (monotonic),
    // not on the service's TimeProvider, so a test's frozen clock does not stop it and a stepped wall clock does not
    // hurry it. Both owned by whoever holds the writer gate.
    private CounterFold? _fold;
    private long _lastFold = Stopwatch.GetTimestamp();
    private Timer? _idleFold;

    private CounterFold Fold => _fold ??= new CounterFold(_options.FoldSlice, _options.FoldDeleteRows);

    /// <summary>Appends what each change adds (counted as pending once the commit holds).</summary>
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
    /// Inside the commit's transaction, before its own rows: this commit's part of a fold, if any is running or due.
    /// Taken (<see cref="Committed"/>) only once the commit holds.
    /// </summary>
    private FoldStep FoldStepIfDue()
    {
        var due = Fold.PendingRows >= _options.FoldAtRows || Stopwatch.GetElapsedTime(_lastFold) >= _options.FoldEvery;
        var step = Fold.Next(due, DeltaRows);
        if (step.Kind is FoldStepKind.Start or FoldStepKind.Slice)
        {
            var add = Statements.FoldCount;
            foreach (var sum in Fold.Slice(step))
            {
                add.Bind(1, sum.Id).Bind(2, sum.Added).Bind(3, sum.LastSeenMs).Execute();
            }

            Statements.SetFoldProgress.Bind(1, step.Upto).Bind(2, Fold.DoneBelow(step)).Execute();
        }
        else if (step.Kind is FoldStepKind.Delete or FoldStepKind.Finish)
        {
            Statements.DeleteFolded.Bind(1, step.DeleteThrough).Execute();
            if (step.Kind == FoldStepKind.Finish)
            {
                Statements.SetFoldProgress.Bind(1, 0).Bind(2, 0).Execute();
            }
        }

        return step;
    }

    private (long Lowest, long Highest) DeltaRows()
    {
        using var command = Writer.CreateCommand();
        command.CommandText = "SELECT COALESCE(MIN(rowid), 0), COALESCE(MAX(rowid), 0) FROM counter_delta";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>After a commit: its fold step is taken, its rows are pending; the timer folds them if no commit comes.</summary>
    private void Committed(FoldStep step, CommitPlan plan)
    {
        var fold = Fold;
        fold.Took(step);
        if (step.Kind == FoldStepKind.Start)
        {
            _lastFold = Stopwatch.GetTimestamp();
        }

        foreach (var c in plan.Counters)
        {
            fold.Appended(c.Id, c.AlertsAdded, ColumnText.Ms(c.LastSeenAt));
        }

        foreach (var c in plan.Updates)
        {
            fold.Appended(c.Id, c.AlertsAdded, ColumnText.Ms(c.LastSeenAt));
        }

        if (fold.HasWork)
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

        Fold.Reset();
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
            if (_writer is not null && Fold.HasWork)
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
