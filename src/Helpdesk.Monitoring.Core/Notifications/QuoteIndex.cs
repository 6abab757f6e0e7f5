using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// Finds every double quote of a record in one vectorised pass (32 bytes per compare, set bits walked with
/// TrailingZeroCount): the fast path then jumps from quote to quote instead of scanning each string.
/// </summary>
internal static class QuoteIndex
{
    /// <summary>Writes the quotes' offsets; returns their count, or -1 when there are more than fit.</summary>
    public static int Find(ReadOnlySpan<byte> record, Span<int> positions)
    {
        var count = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var quote = Vector256.Create((byte)'"');
            ref var start = ref MemoryMarshal.GetReference(record);
            for (; i + Vector256<byte>.Count <= record.Length; i += Vector256<byte>.Count)
            {
                var mask = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), quote).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    if (count == positions.Length)
                    {
                        return -1;
                    }

                    positions[count++] = i + BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                }
            }
        }

        for (; i < record.Length; i++)
        {
            if (record[i] == (byte)'"')
            {
                if (count == positions.Length)
                {
                    return -1;
                }

                positions[count++] = i;
            }
        }

        return count;
    }
}

/// <summary>Walks a record's quote offsets in pairs: an opening quote where expected, and its closing one.</summary>
internal ref struct QuoteCursor(ReadOnlySpan<int> quotes)
{
    private readonly ReadOnlySpan<int> _quotes = quotes;
    private int _next;

    public readonly int Remaining => _quotes.Length - _next;

    /// <summary>True when the next quote opens at <paramref name="open"/>; gives the quote that closes it.</summary>
    public bool TryTake(int open, out int close)
    {
        if (_next + 1 >= _quotes.Length || _quotes[_next] != open)
        {
            close = 0;
            return false;
        }

        close = _quotes[_next + 1];
        _next += 2;
        return true;
    }
}
