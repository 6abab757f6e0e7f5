using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Hosting.Ingest;

/// <summary>Splits a POST body (one record object, or an array of them) into the byte ranges of its records.</summary>
internal static class BatchBody
{
    /// <summary>The records' ranges, or an error saying why the body is not one record or an array of records.</summary>
    public static (List<Range> Records, string? Error) Split(ReadOnlySpan<byte> body)
    {
        var records = new List<Range>();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read())
            {
                return (records, "the body is empty");
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                records.Add(new Range(start, (int)reader.BytesConsumed));
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    records.Add(new Range(start, (int)reader.BytesConsumed));
                }
            }
            else
            {
                return (records, "the body must be a notification object or an array of them");
            }

            return reader.Read() ? (records, "content after the JSON value") : (records, null);
        }
        catch (JsonException ex)
        {
            return (records, JsonSyntax.Explain(ex, "the body is one notification or an array of them, " + NotificationParser.TooDeep));
        }
    }

    /// <summary>
    /// The same ranges as <see cref="Split"/> for the bodies senders write (one object or an array of objects, no
    /// backslash anywhere), found from the braces alone in one vectorised pass; null for any other body. Only the
    /// JSON between the records is checked, not inside them: the caller parses every record anyway, and a record that
    /// parses is a whole JSON object. When any record is refused the caller asks <see cref="Split"/>, which says
    /// whether the body was JSON at all. Splitting with the JSON reader first cost as much as parsing the records.
    /// </summary>
    public static List<Range>? SplitUnchecked(ReadOnlySpan<byte> body)
    {
        var at = SkipSpace(body, 0);
        if (at == body.Length)
        {
            return null;
        }

        var records = new List<Range>();
        if (body[at] == (byte)'{')
        {
            var end = Close(body, at);
            if (end < 0 || SkipSpace(body, end) != body.Length)
            {
                return null;
            }

            records.Add(new Range(at, end));
            return records;
        }

        if (body[at] != (byte)'[')
        {
            return null;
        }

        at = SkipSpace(body, at + 1);
        if (at < body.Length && body[at] == (byte)']')
        {
            return SkipSpace(body, at + 1) == body.Length ? records : null;
        }

        while (at < body.Length && body[at] == (byte)'{')
        {
            var end = Close(body, at);
            if (end < 0)
            {
                return null;
            }

            records.Add(new Range(at, end));
            at = SkipSpace(body, end);
            if (at < body.Length && body[at] == (byte)']')
            {
                return SkipSpace(body, at + 1) == body.Length ? records : null;
            }

            if (at >= body.Length || body[at] != (byte)',')
            {
                return null;
            }

            at = SkipSpace(body, at + 1);
        }

        return null;
    }

    private static int SkipSpace(ReadOnlySpan<byte> body, int at)
    {
        while (at < body.Length && body[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            at++;
        }

        return at;
    }

    /// <summary>
    /// The offset after the brace that closes the one at <paramref name="open"/>, or -1 (no such brace, a backslash
    /// on the way, or a bracket closing it). Each 64-byte block is read as bit masks of its quotes, opening and closing
    /// brackets; the prefix XOR of the quote mask marks the bytes inside strings, whose brackets do not count. Without
    /// backslashes every quote opens or closes a string.
    /// </summary>
    private static int Close(ReadOnlySpan<byte> body, int open)
    {
        var depth = 0;
        ulong inString = 0;
        for (var block = open; block < body.Length; block += 64)
        {
            var (quotes, opens, closes, backslashes) = Masks(body[block..Math.Min(block + 64, body.Length)]);
            if (backslashes != 0)
            {
                return -1;
            }

            var strings = PrefixXor(quotes) ^ inString;
            inString = (ulong)((long)strings >> 63);
            opens &= ~strings;
            closes &= ~strings;
            for (var structural = opens | closes; structural != 0; structural &= structural - 1)
            {
                var offset = BitOperations.TrailingZeroCount(structural);
                depth += (opens >> offset & 1) != 0 ? 1 : -1;
                if (depth == 0)
                {
                    var at = block + offset;
                    return body[at] == (byte)'}' ? at + 1 : -1;
                }
            }
        }

        return -1;
    }

    /// <summary>Bit i of each mask is set when byte i of the block (at most 64 bytes) is a quote, <c>{ [</c>, <c>} ]</c>, a backslash.</summary>
    private static (ulong Quotes, ulong Opens, ulong Closes, ulong Backslashes) Masks(ReadOnlySpan<byte> block)
    {
        ulong quotes = 0, opens = 0, closes = 0, backslashes = 0;
        var i = 0;
        ref var start = ref MemoryMarshal.GetReference(block);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<byte>.Count <= block.Length; i += Vector256<byte>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                // '{' and '[' differ only in bit 0x20, as do '}' and ']': one compare finds both.
                var folded = v | Vector256.Create((byte)0x20);
                quotes |= (ulong)Vector256.Equals(v, Vector256.Create((byte)'"')).ExtractMostSignificantBits() << i;
                opens |= (ulong)Vector256.Equals(folded, Vector256.Create((byte)'{')).ExtractMostSignificantBits() << i;
                closes |= (ulong)Vector256.Equals(folded, Vector256.Create((byte)'}')).ExtractMostSignificantBits() << i;
                backslashes |= (ulong)Vector256.Equals(v, Vector256.Create((byte)'\\')).ExtractMostSignificantBits() << i;
            }
        }

        for (; i < block.Length; i++)
        {
            var b = block[i];
            quotes |= (ulong)(b == (byte)'"' ? 1 : 0) << i;
            opens |= (ulong)(b is (byte)'{' or (byte)'[' ? 1 : 0) << i;
            closes |= (ulong)(b is (byte)'}' or (byte)']' ? 1 : 0) << i;
            backslashes |= (ulong)(b == (byte)'\\' ? 1 : 0) << i;
        }

        return (quotes, opens, closes, backslashes);
    }

    /// <summary>Bit i is the XOR of bits 0..i: set from an opening quote up to (not including) its closing one.</summary>
    private static ulong PrefixXor(ulong x)
    {
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        return x;
    }
}
