using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// What the writer knows of counter_delta, and how far the fold of it has come. Folding every pending row in one
/// statement stalled the commit that ran it: 90–185 ms every 2 s in a storm over 50,000 incidents, 13–35 ms at 5,000
/// notifications a second, which set both paths' p99. So a fold is a cycle spread over the commits that follow: it
/// starts at the highest row then written (the cycle's rows are exactly the sums kept here, in memory, since the last
/// cycle), adds those sums to incident_counter a slice of incidents at a time in id order (each slice a short run of
/// the counter table's pages), then deletes the cycle's rows from the head of counter_delta a chunk at a time. The
/// counter_fold row says which rows are already in incident_counter, so readers never count one twice.
/// <para>
/// Owned by whoever holds the store's writer gate. A step is worked out before the commit's rows and taken only once
/// the commit holds (<see cref="Took"/>): a rolled-back commit leaves all of this as it was.
/// </para>
/// </summary>
internal sealed class CounterFold(int sliceIncidents, int deleteRows)
{
    private Dictionary<long, PendingCount> _pending = [];
    private Dictionary<long, PendingCount> _spare = [];
    private int _pendingRows;

    // The running cycle: its incidents' sums in id order, the next to fold, its last row and the last row deleted.
    private IncidentSum[] _cycle = [];
    private int _cycleLength;
    private int _next;
    private long _upto;
    private long _deletedThrough;

    /// <summary>Rows written since the running cycle (or the last one) began.</summary>
    public int PendingRows => _pendingRows;

    public bool Running => _upto > 0;

    public bool HasWork => Running || _pendingRows > 0;

    /// <summary>A committed delta row: its incident's sum grows.</summary>
    public void Appended(long incidentId, long added, long lastSeenMs)
    {
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(_pending, incidentId, out _);
        sum = new PendingCount(sum.Added + added, Math.Max(sum.LastSeenMs, lastSeenMs));
        _pendingRows++;
    }

    /// <summary>
    /// The step this commit takes: the next slice or chunk of a running cycle, or a new cycle when one is due (its
    /// first slice). <paramref name="rows"/> (the lowest and highest row in counter_delta) is asked only when a cycle
    /// starts: every row there then is one of the pending sums.
    /// </summary>
    public FoldStep Next(bool due, Func<(long Lowest, long Highest)> rows)
    {
        if (!Running)
        {
            if (!due || _pendingRows == 0)
            {
                return FoldStep.None;
            }

            var (lowest, highest) = rows();
            if (highest <= 0)
            {
                // No rows, whatever was counted here: they were folded whole (see Reset); nothing is left to fold.
                Reset();
                return FoldStep.None;
            }

            var length = Stage();
            return new FoldStep(FoldStepKind.Start, highest, 0, Math.Min(sliceIncidents, length), lowest - 1);
        }

        if (_next < _cycleLength)
        {
            return new FoldStep(FoldStepKind.Slice, _upto, _next, Math.Min(_next + sliceIncidents, _cycleLength), 0);
        }

        var through = _deletedThrough + deleteRows >= _upto ? _upto : _deletedThrough + deleteRows;
        return new FoldStep(through == _upto ? FoldStepKind.Finish : FoldStepKind.Delete, _upto, 0, 0, through);
    }

    /// <summary>The incidents of a start or slice step, in id order.</summary>
    public ReadOnlySpan<IncidentSum> Slice(FoldStep step) => _cycle.AsSpan(step.From, step.To - step.From);

    /// <summary>The first incident not yet folded after this step: rows at or above it are still counted by readers.</summary>
    public long DoneBelow(FoldStep step) => step.To < _cycleLength ? _cycle[step.To].Id : long.MaxValue;

    /// <summary>The commit that ran <paramref name="step"/> holds: take it.</summary>
    public void Took(FoldStep step)
    {
        switch (step.Kind)
        {
            case FoldStepKind.Start:
                (_pending, _spare) = (_spare, _pending);
                _pending.Clear();
                _pendingRows = 0;
                (_upto, _deletedThrough, _next) = (step.Upto, step.DeleteThrough, step.To);
                break;
            case FoldStepKind.Slice:
                _next = step.To;
                break;
            case FoldStepKind.Delete:
                _deletedThrough = step.DeleteThrough;
                break;
            case FoldStepKind.Finish:
                (_upto, _deletedThrough, _next, _cycleLength) = (0, 0, 0, 0);
                break;
        }
    }

    /// <summary>Everything was folded at once (at start, or while no commit came): nothing is pending or running.</summary>
    public void Reset()
    {
        _pending.Clear();
        _pendingRows = 0;
        (_upto, _deletedThrough, _next, _cycleLength) = (0, 0, 0, 0);
    }

    // The pending sums in id order, in the cycle's array (kept between cycles: a storm's is tens of thousands long).
    private int Stage()
    {
        if (_cycle.Length < _pending.Count)
        {
            _cycle = new IncidentSum[Math.Max(_pending.Count, _cycle.Length * 2)];
        }

        var length = 0;
        foreach (var (id, sum) in _pending)
        {
            _cycle[length++] = new IncidentSum(id, sum.Added, sum.LastSeenMs);
        }

        _cycle.AsSpan(0, length).Sort(static (a, b) => a.Id.CompareTo(b.Id));
        _cycleLength = length;
        return length;
    }

    private readonly record struct PendingCount(long Added, long LastSeenMs);
}

internal readonly record struct IncidentSum(long Id, long Added, long LastSeenMs);

internal enum FoldStepKind
{
    None,
    Start,
    Slice,
    Delete,
    Finish,
}

/// <summary>
/// One commit's part of a fold: <see cref="From"/>..<see cref="To"/> index the cycle's incidents (start and slice);
/// <see cref="DeleteThrough"/> is the last row a delete or finish removes (for a start: the row before its first);
/// <see cref="Upto"/> is the cycle's last row.
/// </summary>
internal readonly record struct FoldStep(FoldStepKind Kind, long Upto, int From, int To, long DeleteThrough)
{
    public static FoldStep None => default;
}
