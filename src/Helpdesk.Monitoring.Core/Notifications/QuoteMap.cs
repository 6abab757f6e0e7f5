using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// One pass over a record for the fast path: it refuses a control byte or a backslash (either means the record is not
/// in our writer's plain form), notes whether every byte is printable ASCII (if not, the UTF-8 and the names must be
/// checked byte by byte), and sets one bit per double quote, so that finding where a string ends is a bit scan instead
/// of a search.
/// </summary>
internal ref struct QuoteMap
{
    /// <summary>Records up to this size are mapped (the bits take an eighth of it, on the stack); larger go the full way.</summary>
    public const int MaxRecordBytes = 8 * 1024;

    /// <summary>The words a record of <paramref name="length"/> bytes needs.</summary>
    public static int Words(int length) => (length + 63) / 64;

    private readonly Span<ulong> _bits;

    private QuoteMap(Span<ulong> bits) => _bits = bits;

    /// <summary>
    /// Maps <paramref name="record"/> into <paramref name="words"/> (at least <see cref="Words"/>); false when it
    /// holds a control byte or a backslash, or is too large.
    /// </summary>
    public static bool TryMap(ReadOnlySpan<byte> record, Span<ulong> words, out QuoteMap map, out bool printable)
    {
        map = default;
        printable = true;
        var count = Words(record.Length);
        if (record.Length > MaxRecordBytes || words.Length < count)
        {
            return false;
        }

        if (!Vector256.IsHardwareAccelerated || record.Length < 64)
        {
            return TryMapByByte(record, words[..count], out map, out printable);
        }

        // Refused and unprintable bytes are gathered in two vectors and looked at once, at the end; only the quotes
        // need their bits taken out of every block.
        var refused = Vector256<byte>.Zero;
        var high = Vector256<byte>.Zero;
        ref var start = ref MemoryMarshal.GetReference(record);
        var whole = record.Length / 64;
        for (var w = 0; w < whole; w++)
        {
            words[w] = Block(ref Unsafe.Add(ref start, w * 64), ref refused, ref high);
        }

        var tail = record.Length - (whole * 64);
        if (tail > 0)
        {
            // The last 64 bytes, overlapping the block before: their bits for the tail are the top ones.
            words[whole] = Block(ref Unsafe.Add(ref start, record.Length - 64), ref refused, ref high) >> (64 - tail);
        }

        printable = high.ExtractMostSignificantBits() == 0;
        map = new QuoteMap(words[..count]);
        return refused == Vector256<byte>.Zero;
    }

    /// <summary>The first quote at or after <paramref name="from"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Next(int from)
    {
        var word = from >> 6;
        if ((uint)word >= (uint)_bits.Length)
        {
            return -1;
        }

        var bits = _bits[word] & (ulong.MaxValue << (from & 63));
        while (bits == 0)
        {
            if (++word == _bits.Length)
            {
                return -1;
            }

            bits = _bits[word];
        }

        return (word << 6) + BitOperations.TrailingZeroCount(bits);
    }

    /// <summary>
    /// 64 bytes: their quote bits. Control bytes and backslashes are gathered into <paramref name="refused"/>; bytes
    /// from DEL (0x7F) up set the top bit of <paramref name="high"/> (b | b + 1 has it exactly for those).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Block(ref byte at, ref Vector256<byte> refused, ref Vector256<byte> high)
    {
        var lo = Vector256.LoadUnsafe(ref at);
        var hi = Vector256.LoadUnsafe(ref at, 32);
        var control = Vector256.Create((byte)0xE0);
        var backslash = Vector256.Create((byte)'\\');
        refused |= Vector256.Equals(lo & control, Vector256<byte>.Zero) | Vector256.Equals(lo, backslash)
            | Vector256.Equals(hi & control, Vector256<byte>.Zero) | Vector256.Equals(hi, backslash);
        high |= lo | (lo + Vector256<byte>.One) | hi | (hi + Vector256<byte>.One);
        var quote = Vector256.Create((byte)'"');
        return Vector256.Equals(lo, quote).ExtractMostSignificantBits() | ((ulong)Vector256.Equals(hi, quote).ExtractMostSignificantBits() << 32);
    }

    /// <summary>The same, a byte at a time: for short records and machines without 256-bit vectors.</summary>
    private static bool TryMapByByte(ReadOnlySpan<byte> record, Span<ulong> words, out QuoteMap map, out bool printable)
    {
        words.Clear();
        var refused = false;
        var high = false;
        for (var i = 0; i < record.Length; i++)
        {
            var b = record[i];
            refused |= b < 0x20 || b == (byte)'\\';
            high |= b >= 0x7F;
            if (b == (byte)'"')
            {
                words[i >> 6] |= 1UL << (i & 63);
            }
        }

        printable = !high;
        map = new QuoteMap(words);
        return !refused;
    }
}
