using System.Text.Json;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// Says where and why text is not the JSON expected, in a sentence for the person who wrote it: the reader's own
/// message carries its internals ("LineNumber: 0 | BytePositionInLine: 176", "Change the reader options", "the
/// maximum configured depth of 4"), which mean nothing to a Nagios admin reading a dead letter or a rules check.
/// </summary>
public static class JsonSyntax
{
    /// <summary>
    /// The reason, with the line and byte (counted from 1) where the reader stopped. <paramref name="tooDeep"/> says
    /// what may nest in this kind of document; it replaces the reader's sentence about its configured depth.
    /// </summary>
    public static string Explain(JsonException ex, string tooDeep)
    {
        var reason = ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
            ? $"values nest too deeply: {tooDeep}"
            : Reason(ex.Message);
        return ex.LineNumber is { } line && ex.BytePositionInLine is { } at
            ? $"not valid JSON at line {line + 1}, byte {at + 1}: {reason}"
            : $"not valid JSON: {reason}";
    }

    private static string Reason(string message)
    {
        // The position is said in our own words; the reader's advice to the programmer goes.
        foreach (var tail in (ReadOnlySpan<string>)[" LineNumber: ", " Path: "])
        {
            var cut = message.IndexOf(tail, StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
        }

        foreach (var (theirs, ours) in Rewrites)
        {
            message = message.Replace(theirs, ours, StringComparison.Ordinal);
        }

        return message.Trim().TrimEnd('.');
    }

    private static readonly (string Theirs, string Ours)[] Rewrites =
    [
        ("Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.", "an object or array is not closed"),
        ("The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, when isFinalBlock is true.", "there is no JSON value in it"),
        (" which is not supported in this mode. Change the reader options.", ", which is not allowed"),
    ];
}
