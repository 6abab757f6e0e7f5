using System.Runtime.CompilerServices;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>What a well-formed record must also satisfy to be a notification the helpdesk can act on.</summary>
internal static class NotificationRules
{
    private const ulong Required =
        (1UL << (int)WireField.V) | (1UL << (int)WireField.Id) | (1UL << (int)WireField.Instance)
        | (1UL << (int)WireField.Type) | (1UL << (int)WireField.TimeT) | (1UL << (int)WireField.Host);

    /// <summary>Year 9999 in epoch seconds: anything later is not a time Nagios reported.</summary>
    private const long MaxTimeT = 253_402_300_799;

    /// <summary>
    /// <paramref name="printable"/>: the reader saw that every byte of the record is printable ASCII, so no name can
    /// hold a control, invisible or direction-changing character and the search for them is skipped.
    /// </summary>
    public static ParseFailure Check(ReadOnlySpan<byte> record, in NotificationFields f, ulong seen, bool printable)
    {
        if ((seen & Required) != Required)
        {
            // A record of another version has other fields: its version is the reason, not a field v1 requires.
            return (seen & (1UL << (int)WireField.V)) != 0 && f.Version != Notification.CurrentVersion ? Unsupported(f.Version) : Missing(seen);
        }

        if (f.Version != Notification.CurrentVersion)
        {
            return Unsupported(f.Version);
        }

        if (f.TimeT <= 0 || f.TimeT > MaxTimeT)
        {
            return NotificationParser.Invalid(WireField.TimeT, "must be a positive epoch time in seconds");
        }

        var failure = CheckName(record, f.Instance, WireField.Instance, required: true, printable);
        failure = failure.Failed ? failure : CheckName(record, f.Host, WireField.Host, required: true, printable);
        failure = failure.Failed ? failure : CheckName(record, f.Service, WireField.Service, required: false, printable);
        if (failure.Failed)
        {
            return failure;
        }

        var state = f.State;
        if (state == AlertState.None)
        {
            return f.IsServiceNotification
                ? NotificationParser.Invalid(WireField.ServiceState, "is required for a service notification")
                : NotificationParser.Invalid(WireField.HostState, "is required for a host notification");
        }

        if (f.Type == NotificationType.Problem && NagiosNames.IsHealthy(state))
        {
            return NotificationParser.Invalid(f.IsServiceNotification ? WireField.ServiceState : WireField.HostState,
                "is healthy, but a PROBLEM needs a failing state");
        }

        if (f.Type == NotificationType.Recovery && !NagiosNames.IsHealthy(state))
        {
            return NotificationParser.Invalid(f.IsServiceNotification ? WireField.ServiceState : WireField.HostState,
                "is failing, but a RECOVERY needs OK or UP");
        }

        return ParseFailure.None;
    }

    private static ParseFailure CheckName(ReadOnlySpan<byte> record, Utf8Slice slice, WireField field, bool required, bool printable)
    {
        if (slice.Escaped)
        {
            return CheckEscapedName(record, slice, field);
        }

        var bytes = slice.Of(record);
        if (bytes.IsEmpty)
        {
            return required ? NotificationParser.Invalid(field, "must not be empty") : ParseFailure.None;
        }

        if (bytes.Length > RecordLimits.MaxNameBytes)
        {
            return NotificationParser.Invalid(field, "is longer than 255 bytes");
        }

        if (printable)
        {
            return ParseFailure.None;
        }

        // Control characters would let two different names build the same fingerprint; invisible and direction-changing
        // characters would let two names that look the same be different identities (a look-alike host).
        // One vectorised search for any byte outside printable ASCII; ASCII names find none and cost nothing more.
        for (var at = bytes.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E); at >= 0; at = Next(bytes, at))
        {
            var b = bytes[at];
            if (b < 0x20 || b == 0x7F)
            {
                return NotificationParser.Invalid(field, "contains a control character");
            }

            if (IsInvisible(bytes[at..]))
            {
                return NotificationParser.Invalid(field, "contains an invisible or text-direction character (U+0080–U+009F, U+200B–U+200F, U+202A–U+202E, U+2060–U+2069 or U+FEFF)");
            }
        }

        return ParseFailure.None;
    }

    private static int Next(ReadOnlySpan<byte> bytes, int at) =>
        bytes[(at + 1)..].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) is var next and >= 0 ? at + 1 + next : -1;

    /// <summary>
    /// Whether the UTF-8 character at the start is a C1 control (U+0080–U+009F), a zero-width or direction mark
    /// (U+200B–U+200F), a bidi embedding or override (U+202A–U+202E), a word joiner or isolate (U+2060–U+2069) or a
    /// byte order mark (U+FEFF). Only reached for bytes outside printable ASCII.
    /// </summary>
    private static bool IsInvisible(ReadOnlySpan<byte> at) => at switch
    {
        [0xC2, >= 0x80 and <= 0x9F, ..] => true,
        [0xE2, 0x80, (>= 0x8B and <= 0x8F) or (>= 0xAA and <= 0xAE), ..] => true,
        [0xE2, 0x81, >= 0xA0 and <= 0xA9, ..] => true,
        [0xEF, 0xBB, 0xBF, ..] => true,
        _ => false,
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ParseFailure CheckEscapedName(ReadOnlySpan<byte> record, Utf8Slice slice, WireField field)
    {
        var text = NotificationDecoder.Text(record, slice);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return CheckName(bytes, new Utf8Slice(0, bytes.Length, false), field, required: true, printable: false);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ParseFailure Missing(ulong seen)
    {
        foreach (var field in (ReadOnlySpan<WireField>)[WireField.V, WireField.Id, WireField.Instance, WireField.Type, WireField.TimeT, WireField.Host])
        {
            if ((seen & (1UL << (int)field)) == 0)
            {
                return new ParseFailure(RejectReason.MissingField, $"field '{WireFieldText.Of(field)}' is required");
            }
        }

        return ParseFailure.None;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ParseFailure Unsupported(int version) =>
        new(RejectReason.UnsupportedVersion, $"record version {version} is not supported; this service reads v1");
}
