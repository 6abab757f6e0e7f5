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
    private readonly Dictionary<TopicPartition, PartitionOffsets> _partitions = [];
    private readonly List<PartitionOffsets> _unstored = [];

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
            if (Of(partition).Take(offset))
            {
                _count++;
            }
        }
    }

    /// <summary>Marks an offset durable; returns the new commit position when it moved (it then waits to be stored), else null.</summary>
    public long? Done(TopicPartition partition, long offset)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(partition, out var offsets) || !offsets.Settle(offset))
            {
                return null;
            }

            _count--;

            // Everything taken below the lowest pending offset is durable; with none pending, everything taken is.
            var position = offsets.Position;
            if (offsets.Stored == position)
            {
                return null;
            }

            offsets.Stored = position;
            if (!offsets.Unstored)
            {
                offsets.Unstored = true;
                _unstored.Add(offsets);
            }

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

            var positions = new List<TopicPartitionOffset>(_unstored.Count);
            foreach (var offsets in _unstored)
            {
                offsets.Unstored = false;
                positions.Add(new TopicPartitionOffset(offsets.Partition, offsets.Stored!.Value));
            }

            _unstored.Clear();
            return positions;
        }
    }

    /// <summary>Where the group's commit stood when this instance got the partition (the lag's base until it stores one).</summary>
    public void Assigned(TopicPartition partition, long committed)
    {
        lock (_lock)
        {
            Of(partition).AssignedAt = committed;
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
            return _partitions.TryGetValue(partition, out var offsets) ? offsets.Stored ?? offsets.LowestPending ?? offsets.AssignedAt : null;
        }
    }

    public int PendingIn(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            return partitions.Sum(p => _partitions.TryGetValue(p, out var offsets) ? offsets.Pending : 0);
        }
    }

    /// <summary>Partitions taken away without a clean hand-over: their pending records will be read again by the new owner.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            foreach (var p in partitions)
            {
                if (_partitions.Remove(p, out var offsets))
                {
                    _count -= offsets.Pending;
                    _unstored.Remove(offsets);
                }
            }
        }
    }

    private PartitionOffsets Of(TopicPartition partition)
    {
        if (!_partitions.TryGetValue(partition, out var offsets))
        {
            _partitions[partition] = offsets = new PartitionOffsets(partition);
        }

        return offsets;
    }
}
