using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// Makes a notification fit the record limit by cutting its long text (long output first, then output, then the
/// comment), longest field first, and saying so at the end of each cut field ("[output truncated from N bytes]"), so a
/// problem never vanishes because its plugin printed a lot. Names, states and ids are never cut.
/// </summary>
public static class OutputTrimmer
{
    private static readonly (Func<Notification, string> Get, Func<Notification, string, Notification> Set)[] Fields =
    [
        (n => n.LongServiceOutput, (n, v) => n with { LongServiceOutput = v }),
        (n => n.LongHostOutput, (n, v) => n with { LongHostOutput = v }),
        (n => n.ServiceOutput, (n, v) => n with { ServiceOutput = v }),
        (n => n.HostOutput, (n, v) => n with { HostOutput = v }),
        (n => n.Comment, (n, v) => n with { Comment = v }),
    ];

    /// <summary>The record bytes of <paramref name="notification"/>, cut to fit <paramref name="maxBytes"/> when they would not.</summary>
    public static byte[] ToRecord(Notification notification, int maxBytes)
    {
        var record = NotificationWriter.ToUtf8(notification);

        // Each round cuts the longest field by what is over (JSON escaping may make a cut worth less than its length,
        // hence the rounds); a record of names alone that does not fit is left for the parser to refuse.
        for (var round = 0; round < 8 && record.Length > maxBytes; round++)
        {
            var longest = Fields.MaxBy(f => Encoding.UTF8.GetByteCount(f.Get(notification)));
            var text = longest.Get(notification);
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (bytes == 0)
            {
                break;
            }

            var original = OriginalLength(text) ?? bytes;
            var note = string.Create(CultureInfo.InvariantCulture, $" [output truncated from {original} bytes]");
            var keep = Math.Max(0, bytes - (record.Length - maxBytes) - Encoding.UTF8.GetByteCount(note) - 64 - (bytes / 8));
            notification = longest.Set(notification, Cut(StripNote(text), keep) + note);
            record = NotificationWriter.ToUtf8(notification);
        }

        return record;
    }

    /// <summary>The first <paramref name="bytes"/> bytes of <paramref name="text"/>, never splitting a character.</summary>
    private static string Cut(string text, int bytes)
    {
        var encoded = Encoding.UTF8.GetBytes(text);
        if (encoded.Length <= bytes)
        {
            return text;
        }

        var end = bytes;
        while (end > 0 && (encoded[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return Encoding.UTF8.GetString(encoded, 0, end);
    }

    private const string NotePrefix = " [output truncated from ";

    private static string StripNote(string text) =>
        text.LastIndexOf(NotePrefix, StringComparison.Ordinal) is var at and >= 0 && text.EndsWith(" bytes]", StringComparison.Ordinal) ? text[..at] : text;

    private static int? OriginalLength(string text)
    {
        var at = text.LastIndexOf(NotePrefix, StringComparison.Ordinal);
        if (at < 0 || !text.EndsWith(" bytes]", StringComparison.Ordinal))
        {
            return null;
        }

        var digits = text.AsSpan(at + NotePrefix.Length, text.Length - at - NotePrefix.Length - " bytes]".Length);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
