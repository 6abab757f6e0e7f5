using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Helpdesk.Monitoring.Notifications;

public static partial class NotificationParser
{
    /// <summary>Each row's <c>"name":</c>, in the writer's order, with how its value is read and where it is kept.</summary>
    private static readonly WireKey[] Keys = [.. WireFields.Rows.Select(row => new WireKey(row.Field, [(byte)'"', .. row.Utf8, (byte)'"', (byte)':']))];

    /// <summary>
    /// The fast path: our own writer's form of a record, read in one forward walk. Its fields come in the order of
    /// <see cref="WireFields"/> (some left out), compact, without escapes, with plain non-negative integers. Where the
    /// next field starts only the next rows' names can stand, so a name is one masked comparison against the expected
    /// bytes, and a value is stored where the table says, without looking the name up or switching on the field.
    /// It accepts a strict subset of what the full reader accepts and fills the same fields; anything else (another
    /// order, escapes, unknown or repeated properties, other JSON forms, any doubt) returns false and the full
    /// Utf8JsonReader path decides, so both paths always agree. <paramref name="printable"/> says that every byte is
    /// printable ASCII, so the names need no search for control or invisible characters.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static bool TryReadInOrder(ReadOnlySpan<byte> record, ref NotificationFields fields, out ulong seen, out bool printable)
    {
        seen = 0;
        printable = false;
        if (record.Length < 2 || record.Length > QuoteMap.MaxRecordBytes || record[0] != (byte)'{' || record[^1] != (byte)'}')
        {
            return false;
        }

        // One pass instead of per-string checks: with no backslash, no control byte and valid UTF-8 anywhere, every
        // quote is structural and every string is valid JSON text.
        Span<ulong> words = stackalloc ulong[QuoteMap.Words(record.Length)];
        if (!QuoteMap.TryMap(record, words, out var quotes, out printable) || (!printable && !Utf8.IsValid(record)))
        {
            return false;
        }

        return Walk(record, quotes, ref fields, out seen);
    }

    /// <summary>
    /// The walk after the mapping, in a method of its own: beside the mapping's stack buffer, and with the map passed
    /// by reference, the position and the quote bits were kept in memory and reloaded at every step; here they stay
    /// in registers, and the walk is compiled like any other method (with profile-guided optimisation).
    /// </summary>
    private static bool Walk(ReadOnlySpan<byte> record, QuoteMap quotes, ref NotificationFields fields, out ulong seen)
    {
        seen = 0;
        ref var origin = ref Unsafe.As<NotificationFields, byte>(ref fields);
        var found = 0UL;
        var at = 1;
        foreach (ref readonly var key in Keys.AsSpan())
        {
            if (!key.IsAt(record, at))
            {
                continue;
            }

            at += key.Length;
            switch (key.Kind)
            {
                case WireValueKind.Text:
                    at = ReadPlainString(record, quotes, at, out Unsafe.As<byte, Utf8Slice>(ref Unsafe.Add(ref origin, key.Offset)));
                    break;
                case WireValueKind.Int32:
                    at = ReadDigits(record, at, int.MaxValue, out var number);
                    Unsafe.As<byte, int>(ref Unsafe.Add(ref origin, key.Offset)) = (int)number;
                    break;
                case WireValueKind.Int64:
                    at = ReadDigits(record, at, long.MaxValue, out Unsafe.As<byte, long>(ref Unsafe.Add(ref origin, key.Offset)));
                    break;
                default:
                    at = ReadOtherValue(record, quotes, at, key.Field, ref fields);
                    break;
            }

            if ((uint)at >= (uint)record.Length)
            {
                return false;
            }

            found |= 1UL << (int)key.Field;
            var next = record[at++];
            if (next == (byte)'}')
            {
                seen = found;
                return at == record.Length;
            }

            if (next != (byte)',')
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The values that are checked as they are read: the event id, the type, the states and the custom variables.</summary>
    private static int ReadOtherValue(ReadOnlySpan<byte> record, QuoteMap quotes, int at, WireField field, ref NotificationFields fields)
    {
        if (field == WireField.Vars)
        {
            return ReadVarsInOrder(record, quotes, at, out fields.Vars);
        }

        at = ReadPlainString(record, quotes, at, out var slice);
        if (at < 0)
        {
            return -1;
        }

        var value = slice.Of(record);
        var valid = field switch
        {
            WireField.Id => Utf8Parser.TryParse(value, out fields.EventId, out var consumed, 'D')
                && consumed == value.Length && fields.EventId != Guid.Empty,
            WireField.Type => (fields.Type = NagiosNames.ParseType(value)) != NotificationType.None,
            WireField.HostState => (fields.HostState = NagiosNames.ParseHostState(value)) != AlertState.None || value.IsEmpty,
            WireField.ServiceState => (fields.ServiceState = NagiosNames.ParseServiceState(value)) != AlertState.None || value.IsEmpty,
            _ => false,
        };
        return valid ? at : -1;
    }

    /// <summary>
    /// A string starting at <paramref name="at"/>: with no backslash in the record, the next quote closes it. Returns
    /// the position after it, or -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadPlainString(ReadOnlySpan<byte> record, QuoteMap quotes, int at, out Utf8Slice slice)
    {
        var end = (uint)at < (uint)record.Length && record[at] == (byte)'"' ? quotes.Next(at + 1) : -1;
        slice = end < 0 ? default : new Utf8Slice(at + 1, end - at - 1, escaped: false);
        return end < 0 ? -1 : end + 1;
    }

    /// <summary>
    /// Plain digits without a leading zero (JSON forbids it), within <paramref name="max"/>; the position after them,
    /// or -1. Eighteen digits cannot overflow a long, so the limit is checked once at the end; longer numbers are
    /// left to the full reader.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadDigits(ReadOnlySpan<byte> record, int at, long max, out long value)
    {
        value = 0;
        var start = at;
        var end = Math.Min(record.Length, at + 18);
        while (at < end && (uint)(record[at] - '0') <= 9)
        {
            value = (value * 10) + (record[at] - '0');
            at++;
        }

        var length = at - start;
        var valid = length > 0 && (length == 1 || record[start] != (byte)'0') && value <= max
            && (at >= record.Length || (uint)(record[at] - '0') > 9);
        return valid ? at : -1;
    }

    /// <summary>
    /// The custom variables as the writer writes them: string values, names in ascending ordinal order. Ascending
    /// order also proves that no name repeats, without comparing every pair.
    /// </summary>
    private static int ReadVarsInOrder(ReadOnlySpan<byte> record, QuoteMap quotes, int at, out Utf8Slice vars)
    {
        vars = default;
        var start = at;
        if (at + 1 >= record.Length || record[at] != (byte)'{')
        {
            return -1;
        }

        at++;
        if (record[at] == (byte)'}')
        {
            vars = new Utf8Slice(start, at + 1 - start, escaped: false);
            return at + 1;
        }

        ReadOnlySpan<byte> previous = default;
        for (var count = 0; count < RecordLimits.MaxVars; count++)
        {
            at = ReadPlainString(record, quotes, at, out var slice);
            var name = at < 0 ? default : slice.Of(record);
            if (at < 0 || !IsVarName(name) || (count > 0 && name.SequenceCompareTo(previous) <= 0)
                || at >= record.Length || record[at] != (byte)':')
            {
                return -1;
            }

            at = ReadPlainString(record, quotes, at + 1, out _);
            if (at < 0 || at >= record.Length)
            {
                return -1;
            }

            previous = name;
            var next = record[at++];
            if (next == (byte)'}')
            {
                vars = new Utf8Slice(start, at - start, escaped: false);
                return at;
            }

            if (next != (byte)',')
            {
                return -1;
            }
        }

        return -1;
    }
}
