using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// Parses and validates a v1 wire record straight from its UTF-8 bytes into <see cref="NotificationFields"/>,
/// making no strings on success. Refusals are values (<see cref="ParseFailure"/>), never exceptions.
/// </summary>
public static partial class NotificationParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 3 };

    public static bool TryParse(ReadOnlySpan<byte> record, out NotificationFields fields, out ParseFailure failure)
    {
        fields = default;
        if (record.Length > RecordLimits.MaxRecordBytes)
        {
            failure = Oversized(record.Length);
            return false;
        }

        if (TryReadInOrder(record, ref fields, out var seen, out var printable))
        {
            failure = NotificationRules.Check(record, in fields, seen, printable);
            return !failure.Failed;
        }

        fields = default;
        return TryParseFull(record, out fields, out failure);
    }

    /// <summary>
    /// The names of a parsed record's properties that no v1 field has, at most <paramref name="max"/>, for the sender
    /// to be told (the parse ignored them). Only asked for records that had such a property: it reads the record again.
    /// </summary>
    public static IReadOnlyList<string> IgnoredNames(ReadOnlySpan<byte> record, int max)
    {
        var names = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(record, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return names;
            }

            while (names.Count < max && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString() ?? "";
                if (WireFieldNames.Match(System.Text.Encoding.UTF8.GetBytes(name)) == WireField.Unknown && !names.Contains(name))
                {
                    names.Add(name);
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // The record parsed, so this is not reached; what was found so far is the answer.
        }

        return names;
    }

    /// <summary>The names of the v1 fields, as a sender writes them.</summary>
    public static IEnumerable<string> FieldNames =>
        Enum.GetValues<WireField>().Where(f => f != WireField.Unknown).Select(WireFieldText.Of);

    /// <summary>The full reader alone (Utf8JsonReader), without the in-order fast path: for tests that compare the two.</summary>
    internal static bool TryParseFull(ReadOnlySpan<byte> record, out NotificationFields fields, out ParseFailure failure)
    {
        fields = default;
        if (record.Length > RecordLimits.MaxRecordBytes)
        {
            failure = Oversized(record.Length);
            return false;
        }

        try
        {
            failure = ReadObject(record, ref fields);
        }
        catch (JsonException ex)
        {
            failure = new ParseFailure(RejectReason.MalformedJson, JsonSyntax.Explain(ex, TooDeep));
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader reports invalid UTF-8 and lone surrogates in escapes this way, without a position.
            failure = new ParseFailure(RejectReason.MalformedJson, "a text value is not valid UTF-8, or a \\u escape in it is half of a character");
        }

        return !failure.Failed;
    }

    private static ParseFailure ReadObject(ReadOnlySpan<byte> record, ref NotificationFields fields)
    {
        var reader = new Utf8JsonReader(record, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return new ParseFailure(RejectReason.MalformedJson, "a record must be one JSON object");
        }

        ulong seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueIsEscaped ? MatchEscapedName(ref reader) : WireFieldNames.Match(reader.ValueSpan);
            var nameValid = field != WireField.Unknown || (reader.ValueIsEscaped ? EscapedIsValid(ref reader) : Utf8.IsValid(reader.ValueSpan));
            if (!reader.Read())
            {
                break;
            }

            if (field == WireField.Unknown)
            {
                // Newer writers may add properties; a v1 reader ignores what it does not know, but not broken text.
                if (!nameValid)
                {
                    return new ParseFailure(RejectReason.MalformedJson, "a property name is not valid UTF-8");
                }

                fields.IgnoredProperties = true;
                reader.Skip();
                continue;
            }

            var bit = 1UL << (int)field;
            if ((seen & bit) != 0)
            {
                return Invalid(field, "appears more than once");
            }

            seen |= bit;
            var failure = ReadField(ref reader, record, field, ref fields);
            if (failure.Failed)
            {
                return failure;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return new ParseFailure(RejectReason.MalformedJson, "the record object is not closed");
        }

        // Anything after the object is malformed: the reader throws on trailing content.
        if (reader.Read())
        {
            return new ParseFailure(RejectReason.MalformedJson, "content after the record object");
        }

        return NotificationRules.Check(record, in fields, seen, printable: false);
    }

    private static ParseFailure ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, WireField field, ref NotificationFields fields)
    {
        switch (field)
        {
            case WireField.V:
                return ReadInt(ref reader, field, out fields.Version);
            case WireField.TimeT:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out fields.TimeT))
                {
                    return Invalid(field, "must be an integer (epoch seconds)");
                }

                return ParseFailure.None;
            case WireField.ServiceAttempt:
                return ReadInt(ref reader, field, out fields.ServiceAttempt);
            case WireField.NotificationNumber:
                return ReadInt(ref reader, field, out fields.NotificationNumber);
            case WireField.Vars:
                return ReadVars(ref reader, record, out fields.Vars);
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return Invalid(field, "must be a string");
        }

        var slice = new Utf8Slice(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length, reader.ValueIsEscaped);
        if (slice.Escaped ? !EscapedIsValid(ref reader) : !Utf8.IsValid(reader.ValueSpan))
        {
            return Invalid(field, "is not valid UTF-8 text");
        }

        switch (field)
        {
            case WireField.Id:
                return ReadEventId(ref reader, ref fields);
            case WireField.Type:
                fields.Type = reader.ValueIsEscaped ? EscapedType(ref reader) : NagiosNames.ParseType(reader.ValueSpan);
                return fields.Type == NotificationType.None ? UnknownType(ref reader) : ParseFailure.None;
            case WireField.HostState:
                fields.HostState = reader.ValueIsEscaped ? EscapedState(ref reader, host: true) : NagiosNames.ParseHostState(reader.ValueSpan);
                return fields.HostState == AlertState.None && slice.Length > 0
                    ? Invalid(field, "must be UP, DOWN or UNREACHABLE")
                    : ParseFailure.None;
            case WireField.ServiceState:
                fields.ServiceState = reader.ValueIsEscaped ? EscapedState(ref reader, host: false) : NagiosNames.ParseServiceState(reader.ValueSpan);
                return fields.ServiceState == AlertState.None && slice.Length > 0
                    ? Invalid(field, "must be OK, WARNING, CRITICAL or UNKNOWN")
                    : ParseFailure.None;
            default:
                fields.SetText(field, slice);
                break;
        }

        return ParseFailure.None;
    }

    private static ParseFailure ReadInt(ref Utf8JsonReader reader, WireField field, out int value)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out value) || value < 0)
        {
            value = 0;
            return Invalid(field, "must be a non-negative integer");
        }

        return ParseFailure.None;
    }

    private static ParseFailure ReadEventId(ref Utf8JsonReader reader, ref NotificationFields fields)
    {
        Span<byte> scratch = stackalloc byte[SmallScratch];
        var span = reader.ValueIsEscaped ? scratch[..Math.Max(0, Unescape(ref reader, scratch))] : reader.ValueSpan;
        if (!Utf8Parser.TryParse(span, out fields.EventId, out var consumed, 'D')
            || consumed != span.Length || fields.EventId == Guid.Empty)
        {
            return Invalid(WireField.Id, "must be a non-empty UUID like 0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10");
        }

        return ParseFailure.None;
    }

    private static ParseFailure ReadVars(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, out Utf8Slice vars)
    {
        vars = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Invalid(WireField.Vars, "must be an object of custom variables");
        }

        var start = (int)reader.TokenStartIndex;
        var count = 0;
        var anyEscaped = false;
        Span<byte> scratch = stackalloc byte[SmallScratch];
        Span<Range> names = stackalloc Range[RecordLimits.MaxVars];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueIsEscaped ? scratch[..Math.Max(0, Unescape(ref reader, scratch))] : reader.ValueSpan;
            if (!IsVarName(name))
            {
                return Invalid(WireField.Vars, "names must look like _HOSTCUSTOMER (an underscore, then A-Z, 0-9 or _; at most 64)");
            }

            if (++count > RecordLimits.MaxVars)
            {
                return Invalid(WireField.Vars, "has more than 64 custom variables");
            }

            // Duplicate names are found here, on the raw bytes, so a record with vars parses without allocating.
            anyEscaped |= reader.ValueIsEscaped;
            var at = (int)reader.TokenStartIndex + 1;
            names[count - 1] = new Range(at, at + reader.ValueSpan.Length);
            for (var i = 0; i < count - 1 && !anyEscaped; i++)
            {
                if (record[names[i]].SequenceEqual(record[names[count - 1]]))
                {
                    return Invalid(WireField.Vars, "names a custom variable twice");
                }
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return Invalid(WireField.Vars, "values must be strings");
            }

            if (reader.ValueIsEscaped ? !EscapedIsValid(ref reader) : !Utf8.IsValid(reader.ValueSpan))
            {
                return Invalid(WireField.Vars, "values must be valid UTF-8 text");
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return Invalid(WireField.Vars, "must be an object of custom variables");
        }

        var end = (int)reader.BytesConsumed;
        vars = new Utf8Slice(start, end - start, escaped: false);
        return anyEscaped && VarNames.HaveDuplicates(vars.Of(record)) ? Invalid(WireField.Vars, "names a custom variable twice") : ParseFailure.None;
    }

    internal static bool IsVarName(ReadOnlySpan<byte> name)
    {
        if (name.Length < 2 || name.Length > 64 || name[0] != (byte)'_')
        {
            return false;
        }

        foreach (var b in name)
        {
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_'))
            {
                return false;
            }
        }

        return true;
    }

    // Escaped enum values and ids are legal JSON but never written by our own writer: the slow path unescapes them.
    private const int SmallScratch = 256;

    private static int Unescape(ref Utf8JsonReader reader, scoped Span<byte> scratch) =>
        reader.ValueSpan.Length <= scratch.Length ? reader.CopyString(scratch) : -1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static NotificationType EscapedType(ref Utf8JsonReader reader)
    {
        Span<byte> scratch = stackalloc byte[SmallScratch];
        var n = Unescape(ref reader, scratch);
        return n < 0 ? NotificationType.None : NagiosNames.ParseType(scratch[..n]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static AlertState EscapedState(ref Utf8JsonReader reader, bool host)
    {
        Span<byte> scratch = stackalloc byte[SmallScratch];
        var n = Unescape(ref reader, scratch);
        return n < 0 ? AlertState.None : host ? NagiosNames.ParseHostState(scratch[..n]) : NagiosNames.ParseServiceState(scratch[..n]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WireField MatchEscapedName(ref Utf8JsonReader reader)
    {
        Span<byte> scratch = stackalloc byte[SmallScratch];
        var n = Unescape(ref reader, scratch);
        return n < 0 ? WireField.Unknown : WireFieldNames.Match(scratch[..n]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool EscapedIsValid(ref Utf8JsonReader reader)
    {
        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            // CopyString unescapes and throws InvalidOperationException on invalid UTF-8 or lone surrogates.
            reader.CopyString(rented);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ParseFailure UnknownType(ref Utf8JsonReader reader)
    {
        var text = reader.GetString() ?? "";
        if (text.Length > 40)
        {
            text = text[..40] + "…";
        }

        return new ParseFailure(RejectReason.UnknownType,
            $"type '{text}' is not a Nagios notification type (PROBLEM, RECOVERY, ACKNOWLEDGEMENT, FLAPPINGSTART, FLAPPINGSTOP, FLAPPINGDISABLED, DOWNTIMESTART, DOWNTIMEEND, DOWNTIMECANCELLED, CUSTOM)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static ParseFailure Invalid(WireField field, string why) =>
        new(RejectReason.InvalidField, $"field '{WireFieldText.Of(field)}' {why}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ParseFailure Oversized(int length) =>
        new(RejectReason.Oversized, $"record is {length} bytes; the limit is {RecordLimits.MaxRecordBytes}");

    /// <summary>What may nest in a record, for the reader's refusal of anything deeper.</summary>
    public const string TooDeep = "a notification is one object, and only its \"vars\" holds another (custom variables as strings)";
}
