using System.Numerics;
using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// A fixed-size set of event ids for <see cref="SeenEvents"/>: open addressing with the ids in the slots, linear
/// probing, and deletion by shifting the entries after the hole back (so no tombstones pile up under the window's
/// steady add-one-forget-one). Why not a HashSet: it keeps its buckets and entries apart, so a look-up that misses,
/// the usual case for a new notification, reads two cache lines, and forgetting the oldest id two more. Here each is
/// one line, four ids to it, at most half the slots full.
/// </summary>
internal sealed class EventIdSet
{
    private readonly Guid[] _slots;
    private readonly int _shift;

    // Seeded per process, like HashCode: a sender who picks its own ids cannot aim them all at one run of slots.
    private readonly ulong _seed = (ulong)Random.Shared.NextInt64();
    private readonly ulong _multiplier = (ulong)Random.Shared.NextInt64() | 1;

    // Guid.Empty marks a free slot, so the empty id (which the parser refuses anyway) is kept aside.
    private bool _hasEmpty;

    public EventIdSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var slots = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2) * 2);
        _slots = new Guid[slots];
        _shift = 64 - BitOperations.Log2((uint)slots);
    }

    public int Count { get; private set; }

    public bool Contains(Guid id) => id == Guid.Empty ? _hasEmpty : _slots[Find(id)] == id;

    /// <summary>Adds the id; false when it was already there. The caller keeps the count within the capacity.</summary>
    public bool Add(Guid id)
    {
        if (id == Guid.Empty)
        {
            return !_hasEmpty && (_hasEmpty = true) && Added();
        }

        var at = Find(id);
        if (_slots[at] == id)
        {
            return false;
        }

        _slots[at] = id;
        return Added();
    }

    public bool Remove(Guid id)
    {
        if (id == Guid.Empty)
        {
            return _hasEmpty && !(_hasEmpty = false) && Removed();
        }

        var hole = Find(id);
        if (_slots[hole] != id)
        {
            return false;
        }

        // Move back each following entry that may sit at the hole without passing its home slot; stop at a free slot.
        var mask = _slots.Length - 1;
        for (var next = (hole + 1) & mask; _slots[next] != Guid.Empty; next = (next + 1) & mask)
        {
            var home = Home(_slots[next]);
            if (((next - home) & mask) >= ((next - hole) & mask))
            {
                _slots[hole] = _slots[next];
                hole = next;
            }
        }

        _slots[hole] = Guid.Empty;
        return Removed();
    }

    /// <summary>The slot holding <paramref name="id"/>, or the free slot where it would go.</summary>
    private int Find(Guid id)
    {
        var mask = _slots.Length - 1;
        var at = Home(id);
        while (_slots[at] != id && _slots[at] != Guid.Empty)
        {
            at = (at + 1) & mask;
        }

        return at;
    }

    private int Home(Guid id)
    {
        var halves = MemoryMarshal.Cast<Guid, ulong>(new ReadOnlySpan<Guid>(in id));
        var h = ((halves[0] ^ _seed) * 0x9E3779B97F4A7C15UL) ^ halves[1];
        return (int)(((h ^ (h >> 32)) * _multiplier) >> _shift);
    }

    private bool Added()
    {
        Count++;
        return true;
    }

    private bool Removed()
    {
        Count--;
        return true;
    }
}
