using System.Text.Unicode;

namespace Helpdesk.Monitoring.Notifications;

public static partial class NotificationParser
{
    /// <summary>
    /// The fast path: a forward scan over the compact form our own writer produces (no whitespace, no escapes, plain
    /// non-negative integers, known properties). It accepts a strict subset of what the full reader accepts and fills
    /// the same fields; anything else (escapes, unknown or repeated properties, other JSON forms, any doubt) returns
    /// false and the full Utf8JsonReader path decides, so both paths always agree.
    /// </summary>
    internal static bool TryReadCompact(ReadOnlySpan<byte> record, ref NotificationFields fields, out ulong seen)
    {
        seen = 0;
        if (record.Length < 2 || record[0] != (byte)'{' || record[^1] != (byte)'}')
        {
            return false;
        }

        // Three whole-record passes replace per-string checks: with no backslash, no control byte and valid UTF-8
        // anywhere, every quote is structural and every string is valid JSON text.
        if (record.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || record.Contains((byte)'\\') || !Utf8.IsValid(record))
        {
            return false;
        }

        // 256 quotes (1 KiB of stack) cover every field and a dozen custom variables; more goes the full way.
        Span<int> quotes = stackalloc int[256];
        var found = QuoteIndex.Find(record, quotes);
        if (found < 0)
        {
            return false;
        }

        var cursor = new QuoteCursor(quotes[..found]);
        var at = 1;
        while (true)
        {
            if (!cursor.TryTake(at, out var nameEnd))
            {
                return false;
            }

            var field = WireFieldNames.Match(record[(at + 1)..nameEnd]);
            at = nameEnd + 1;
            var bit = 1UL << (int)field;
            if (field == WireField.Unknown || (seen & bit) != 0 || at + 1 >= record.Length || record[at++] != (byte)':'
                || !TryReadValue(record, ref at, ref cursor, field, ref fields))
            {
                return false;
            }

            seen |= bit;
            if (at >= record.Length)
            {
                return false;
            }

            var next = record[at++];
            if (next == (byte)'}')
            {
                return at == record.Length;
            }

            if (next != (byte)',' || at >= record.Length)
            {
                return false;
            }
        }
    }

    private static bool TryReadValue(ReadOnlySpan<byte> record, ref int at, ref QuoteCursor cursor, WireField field, ref NotificationFields fields)
    {
        switch (field)
        {
            case WireField.V:
                return TryReadInt(record, ref at, int.MaxValue, out var v) && Set(out fields.Version, (int)v);
            case WireField.TimeT:
                return TryReadInt(record, ref at, long.MaxValue, out fields.TimeT);
            case WireField.ServiceAttempt:
                return TryReadInt(record, ref at, int.MaxValue, out var attempt) && Set(out fields.ServiceAttempt, (int)attempt);
            case WireField.NotificationNumber:
                return TryReadInt(record, ref at, int.MaxValue, out var number) && Set(out fields.NotificationNumber, (int)number);
            case WireField.Vars:
                return TryReadVars(record, ref at, ref cursor, out fields.Vars);
        }

        if (!TryReadString(record, ref at, ref cursor, out var slice))
        {
            return false;
        }

        var value = slice.Of(record);
        switch (field)
        {
            case WireField.Id:
                return System.Buffers.Text.Utf8Parser.TryParse(value, out fields.EventId, out var consumed, 'D')
                    && consumed == value.Length && fields.EventId != Guid.Empty;
            case WireField.Type:
                fields.Type = NagiosNames.ParseType(value);
                return fields.Type != NotificationType.None;
            case WireField.HostState:
                fields.HostState = NagiosNames.ParseHostState(value);
                return fields.HostState != AlertState.None || value.IsEmpty;
            case WireField.ServiceState:
                fields.ServiceState = NagiosNames.ParseServiceState(value);
                return fields.ServiceState != AlertState.None || value.IsEmpty;
            default:
                fields.SetText(field, slice);
                break;
        }

        return true;
    }

    /// <summary>A string starting at <paramref name="at"/>; its closing quote is the next structural quote.</summary>
    private static bool TryReadString(ReadOnlySpan<byte> record, ref int at, ref QuoteCursor cursor, out Utf8Slice slice)
    {
        if (!cursor.TryTake(at, out var end))
        {
            slice = default;
            return false;
        }

        slice = new Utf8Slice(at + 1, end - at - 1, Escaped: false);
        at = end + 1;
        return at < record.Length;
    }

    /// <summary>Plain digits without a leading zero (JSON forbids it), within <paramref name="max"/>.</summary>
    private static bool TryReadInt(ReadOnlySpan<byte> record, ref int at, long max, out long value)
    {
        value = 0;
        var start = at;
        while (at < record.Length && (uint)(record[at] - '0') <= 9)
        {
            var digit = record[at] - '0';
            if (value > (max - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
            at++;
        }

        var length = at - start;
        return length > 0 && (length == 1 || record[start] != (byte)'0')
            && at < record.Length && record[at] is (byte)',' or (byte)'}';
    }

    private static bool TryReadVars(ReadOnlySpan<byte> record, ref int at, ref QuoteCursor cursor, out Utf8Slice vars)
    {
        vars = default;
        var start = at;
        if (at + 1 >= record.Length || record[at] != (byte)'{')
        {
            return false;
        }

        at++;
        if (record[at] == (byte)'}')
        {
            at++;
            vars = new Utf8Slice(start, at - start, Escaped: false);
            return true;
        }

        Span<Range> names = stackalloc Range[RecordLimits.MaxVars];
        for (var count = 0; ; count++)
        {
            if (count == RecordLimits.MaxVars || !TryReadString(record, ref at, ref cursor, out var name) || !IsVarName(name.Of(record))
                || record[at++] != (byte)':' || at >= record.Length || !TryReadString(record, ref at, ref cursor, out _))
            {
                return false;
            }

            names[count] = new Range(name.Start, name.Start + name.Length);
            for (var i = 0; i < count; i++)
            {
                if (record[names[i]].SequenceEqual(name.Of(record)))
                {
                    return false;
                }
            }

            if (at >= record.Length)
            {
                return false;
            }

            var next = record[at++];
            if (next == (byte)'}')
            {
                vars = new Utf8Slice(start, at - start, Escaped: false);
                return true;
            }

            if (next != (byte)',')
            {
                return false;
            }
        }
    }

    private static bool Set(out int target, int value)
    {
        target = value;
        return true;
    }
}
