using Confluent.Kafka;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// Which offsets of each partition are taken but not yet durable. The offset that may be committed is the lowest one
/// still pending (or one past the last done): a record that settles early never lets the commit skip one still in
/// flight, so a crash re-reads everything whose effect is not in the store.
/// </summary>
internal sealed class OffsetTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TopicPartition, SortedSet<long>> _pending = [];
    private readonly Dictionary<TopicPartition, long> _highest = [];
    private readonly Dictionary<TopicPartition, long> _stored = [];
    private readonly Dictionary<TopicPartition, long> _assignedAt = [];
    private readonly Dictionary<TopicPartition, long> _unstored = [];

    // Read without the lock by the consume loop, which asks with every record whether anything waits to be stored.
    private volatile bool _anyUnstored;

    // Kept as it changes: the consume loop asks for it with every record, across up to hundreds of partitions.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    // By partition and offset, not a TopicPartitionOffset: its TopicPartition property makes a new object at every
    // read, several per record at tens of thousands of records a second.
    public void Taken(TopicPartition partition, long offset)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(partition, out var set))
            {
                _pending[partition] = set = [];
            }

            if (set.Add(offset))
            {
                _count++;
            }

            _highest[partition] = Math.Max(_highest.GetValueOrDefault(partition, -1), offset);
        }
    }

    /// <summary>Marks an offset durable; returns the new commit position when it moved (it then waits to be stored), else null.</summary>
    public long? Done(TopicPartition partition, long offset)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(partition, out var set) || !set.Remove(offset))
            {
                return null;
            }

            _count--;

            // Everything taken below the lowest pending offset is durable; with none pending, everything taken is.
            var position = set.Count > 0 ? set.Min : _highest[partition] + 1;
            if (_stored.TryGetValue(partition, out var stored) && stored == position)
            {
                return null;
            }

            _stored[partition] = position;
            _unstored[partition] = position;
            _anyUnstored = true;
            return position;
        }
    }

    /// <summary>The positions that moved since the last call, the newest per partition; null when none did.</summary>
    public List<TopicPartitionOffset>? TakeUnstored()
    {
        if (!_anyUnstored)
        {
            return null;
        }

        lock (_lock)
        {
            _anyUnstored = false;
            if (_unstored.Count == 0)
            {
                return null;
            }

            var positions = _unstored.Select(p => new TopicPartitionOffset(p.Key, p.Value)).ToList();
            _unstored.Clear();
            return positions;
        }
    }

    /// <summary>Where the group's commit stood when this instance got the partition (the lag's base until it stores one).</summary>
    public void Assigned(TopicPartition partition, long committed)
    {
        lock (_lock)
        {
            _assignedAt[partition] = committed;
        }
    }

    /// <summary>
    /// Where a commit would stand now: the position this instance stored, else its lowest record in flight, else where
    /// the group's commit stood when the partition came here; null when none is known.
    /// </summary>
    public long? Position(TopicPartition partition)
    {
        lock (_lock)
        {
            if (_stored.TryGetValue(partition, out var stored))
            {
                return stored;
            }

            if (_pending.TryGetValue(partition, out var set) && set.Count > 0)
            {
                return set.Min;
            }

            return _assignedAt.TryGetValue(partition, out var committed) ? committed : null;
        }
    }

    public int PendingIn(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            return partitions.Sum(p => _pending.TryGetValue(p, out var set) ? set.Count : 0);
        }
    }

    /// <summary>Partitions taken away without a clean hand-over: their pending records will be read again by the new owner.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            foreach (var p in partitions)
            {
                if (_pending.Remove(p, out var set))
                {
                    _count -= set.Count;
                }

                _highest.Remove(p);
                _stored.Remove(p);
                _unstored.Remove(p);
                _assignedAt.Remove(p);
            }
        }
    }
}
