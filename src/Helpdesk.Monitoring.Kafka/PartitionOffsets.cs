using Confluent.Kafka;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// One partition's offsets taken and not yet known durable, in offset order, and where its commit stands. A
/// partition's records arrive in offset order, so a take appends at the end and the lowest leave from the front once
/// durable: no search and no allocation per record, where a sorted set made a tree node for each and rebalanced on
/// each removal. An offset taken again (a partition read again from an earlier position) is placed in order; that path
/// is rare and may shift entries.
/// </summary>
internal sealed class PartitionOffsets(TopicPartition partition)
{
    private long[] _offsets = new long[64];
    private bool[] _done = new bool[64];
    private int _head;
    private int _length;

    // The highest offset ever taken, −1 before the first.
    private long _highest = -1;

    public TopicPartition Partition { get; } = partition;

    /// <summary>The commit position this instance last moved to, null before the first.</summary>
    public long? Stored { get; set; }

    /// <summary>Whether <see cref="Stored"/> moved since it was last handed out to be stored.</summary>
    public bool Unstored { get; set; }

    /// <summary>Where the group's commit stood when this instance got the partition, null when not told.</summary>
    public long? AssignedAt { get; set; }

    /// <summary>Offsets taken and not yet settled.</summary>
    public int Pending { get; private set; }

    /// <summary>The lowest offset still pending, null when none is (the front is never a settled one).</summary>
    public long? LowestPending => _length > 0 ? _offsets[_head] : null;

    /// <summary>Where a commit may stand: the lowest offset still pending, else one past the highest taken.</summary>
    public long Position => LowestPending ?? _highest + 1;

    /// <summary>Takes an offset; false when it was already pending.</summary>
    public bool Take(long offset)
    {
        _highest = Math.Max(_highest, offset);
        if (_length == 0 || offset > At(_length - 1))
        {
            Insert(_length, offset);
            return true;
        }

        var index = Find(offset);
        if (index < 0)
        {
            Insert(~index, offset);
            return true;
        }

        ref var done = ref _done[Slot(index)];
        if (!done)
        {
            return false;
        }

        // Settled but still behind a lower pending one: pending again.
        done = false;
        Pending++;
        return true;
    }

    /// <summary>Settles a pending offset; false when it was not pending.</summary>
    public bool Settle(long offset)
    {
        var index = Find(offset);
        if (index < 0 || _done[Slot(index)])
        {
            return false;
        }

        _done[Slot(index)] = true;
        Pending--;
        while (_length > 0 && _done[_head])
        {
            _head = (_head + 1) & (_offsets.Length - 1);
            _length--;
        }

        return true;
    }

    private long At(int index) => _offsets[Slot(index)];

    private int Slot(int index) => (_head + index) & (_offsets.Length - 1);

    /// <summary>The index holding the offset, or the complement of where it would go.</summary>
    private int Find(long offset)
    {
        if (_length == 0)
        {
            return ~0;
        }

        // Offsets are usually consecutive: the guess is right unless the partition has gaps (compaction, transactions).
        var guess = offset - At(0);
        if (guess >= 0 && guess < _length && At((int)guess) == offset)
        {
            return (int)guess;
        }

        var (low, high) = (0, _length - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var value = At(middle);
            if (value == offset)
            {
                return middle;
            }

            if (value < offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private void Insert(int index, long offset)
    {
        if (_length == _offsets.Length)
        {
            Grow();
        }

        for (var i = _length; i > index; i--)
        {
            _offsets[Slot(i)] = _offsets[Slot(i - 1)];
            _done[Slot(i)] = _done[Slot(i - 1)];
        }

        _offsets[Slot(index)] = offset;
        _done[Slot(index)] = false;
        _length++;
        Pending++;
    }

    private void Grow()
    {
        var offsets = new long[_offsets.Length * 2];
        var done = new bool[offsets.Length];
        for (var i = 0; i < _length; i++)
        {
            offsets[i] = At(i);
            done[i] = _done[Slot(i)];
        }

        (_offsets, _done, _head) = (offsets, done, 0);
    }
}
