using System.Globalization;
using System.Text;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// Lines for Nagios' external command file: <c>[TIME] COMMAND;arg;arg...</c>. In that format <c>;</c> ends a field
/// and a newline ends the command, so text from people (author, comment) is cleaned of both and of every other
/// control character: it can never become a second command. Object names that hold them are refused outright, since
/// cleaning would aim the command at another object.
/// </summary>
public static class NagiosCommand
{
    /// <summary>Kept under the pipe's atomic write size (4096 bytes on Linux), so a line is never interleaved with another writer's.</summary>
    public const int MaxLineBytes = 4000;

    /// <summary>ACKNOWLEDGE_SVC_PROBLEM (or ACKNOWLEDGE_HOST_PROBLEM without a service); null when a name cannot be written safely.</summary>
    public static string? Acknowledge(string host, string service, bool sticky, bool notify, bool persistent, string author, string comment, DateTimeOffset at)
    {
        if (!IsSafeName(host) || (service.Length > 0 && !IsSafeName(service)))
        {
            return null;
        }

        var flags = $"{(sticky ? 2 : 0)};{(notify ? 1 : 0)};{(persistent ? 1 : 0)}";
        var target = service.Length > 0 ? $"ACKNOWLEDGE_SVC_PROBLEM;{host};{service}" : $"ACKNOWLEDGE_HOST_PROBLEM;{host}";
        var line = string.Create(CultureInfo.InvariantCulture, $"[{at.ToUnixTimeSeconds()}] {target};{flags};{Field(author)};{Field(comment)}");
        return Fit(line);
    }

    /// <summary>The comment the helpdesk writes with an acknowledgement: the agent's, and the incident it came from.</summary>
    public static string AcknowledgementComment(string comment, string incidentNumber) =>
        comment.Length > 0 ? $"{comment} ({incidentNumber})" : $"acknowledged in the helpdesk ({incidentNumber})";

    /// <summary>Text made safe for one field: no field separator, no line break, no control character.</summary>
    public static string Field(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            clean.Append(c == ';' ? ',' : char.IsControl(c) ? ' ' : c);
        }

        return clean.ToString();
    }

    private static bool IsSafeName(string name) => name.Length > 0 && !name.Any(c => c == ';' || char.IsControl(c));

    private static string Fit(string line)
    {
        while (Encoding.UTF8.GetByteCount(line) > MaxLineBytes)
        {
            // Only the comment, the last field, is long enough to matter: shorten it.
            line = line[..(line.Length - 64)];
        }

        return line;
    }
}
