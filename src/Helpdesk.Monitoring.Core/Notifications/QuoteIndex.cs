using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// Finds every double quote of a record in one vectorised pass (32 bytes per compare, set bits walked with
/// TrailingZeroCount), so the fast path jumps from quote to quote instead of scanning each string. The same pass
/// checks what makes every quote structural: no backslash (so no escaped quote) and no control byte anywhere.
/// </summary>
internal static class QuoteIndex
{
    /// <summary>
    /// Writes the quotes' offsets and returns their count; -1 when there are more than fit, or when the record holds a
    /// backslash or a control byte (the full reader decides those). <paramref name="nonAscii"/> says whether any byte
    /// is 0x80 or above: only then must the caller validate the record as UTF-8.
    /// </summary>
    public static int Find(ReadOnlySpan<byte> record, Span<int> positions, out bool nonAscii)
    {
        var count = 0;
        var i = 0;
        nonAscii = false;
        if (Vector256.IsHardwareAccelerated && record.Length >= Vector256<byte>.Count)
        {
            var quote = Vector256.Create((byte)'"');
            var backslash = Vector256.Create((byte)'\\');
            var space = Vector256.Create((byte)0x20);
            var refused = Vector256<byte>.Zero;
            var any = Vector256<byte>.Zero;
            ref var start = ref MemoryMarshal.GetReference(record);
            for (; i + Vector256<byte>.Count <= record.Length; i += Vector256<byte>.Count)
            {
                var block = Vector256.LoadUnsafe(ref start, (nuint)i);
                refused |= Vector256.Equals(block, backslash) | Vector256.LessThan(block, space);
                any |= block;
                var mask = Vector256.Equals(block, quote).ExtractMostSignificantBits();
                if (BitOperations.PopCount(mask) > positions.Length - count)
                {
                    return -1;
                }

                for (; mask != 0; mask &= mask - 1)
                {
                    positions[count++] = i + BitOperations.TrailingZeroCount(mask);
                }
            }

            if (refused != Vector256<byte>.Zero)
            {
                return -1;
            }

            nonAscii = any.ExtractMostSignificantBits() != 0;
        }

        for (; i < record.Length; i++)
        {
            var b = record[i];
            if (b < 0x20 || b == (byte)'\\')
            {
                return -1;
            }

            nonAscii |= b >= 0x80;
            if (b == (byte)'"')
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
