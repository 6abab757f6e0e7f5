using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// The rows of counter_delta as sums per incident, kept by the writer as it commits them, so that a fold adds each
/// incident's sum with one keyed update instead of grouping the table's rows in SQL. Grouping a storm's ~80,000 rows
/// by incident took most of a fold's 90–185 ms. Owned by whoever holds the store's writer gate; it holds exactly the
/// committed rows since the last fold (a start folds whatever a crash left, in SQL, before the first commit).
/// </summary>
internal sealed class PendingCounts
{
    private readonly Dictionary<long, Sum> _sums = [];

    /// <summary>Rows in counter_delta, committed since the last fold.</summary>
    public int Rows { get; private set; }

    /// <summary>One committed row: what a commit added to an incident's count, and when the incident was last seen.</summary>
    public void Add(long incidentId, long added, long lastSeenMs)
    {
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(_sums, incidentId, out _);
        sum = new Sum(sum.Added + added, Math.Max(sum.LastSeenMs, lastSeenMs));
        Rows++;
    }

    /// <summary>Each incident's sum: what its rows add, and its latest last-seen time.</summary>
    public Dictionary<long, Sum>.Enumerator GetEnumerator() => _sums.GetEnumerator();

    /// <summary>Folded: counter_delta is empty.</summary>
    public void Clear()
    {
        _sums.Clear();
        Rows = 0;
    }

    internal readonly record struct Sum(long Added, long LastSeenMs);
}
