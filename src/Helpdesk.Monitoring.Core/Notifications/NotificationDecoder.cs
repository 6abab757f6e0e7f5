using System.Text;
using System.Text.Json;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>Makes strings from a parsed record: only for the fields, and the moments, that need them.</summary>
public static class NotificationDecoder
{
    public static string Text(ReadOnlySpan<byte> record, Utf8Slice slice)
    {
        if (slice.IsEmpty)
        {
            return "";
        }

        if (!slice.Escaped)
        {
            return Encoding.UTF8.GetString(slice.Of(record));
        }

        // The slice excludes the quotes; the reader wants the whole JSON string token back.
        var reader = new Utf8JsonReader(record.Slice(slice.Start - 1, slice.Length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    public static Notification Decode(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        return new Notification
        {
            Version = f.Version,
            EventId = f.EventId,
            Instance = Text(record, f.Instance),
            Type = f.Type,
            TimeT = f.TimeT,
            Host = Text(record, f.Host),
            HostAlias = Text(record, f.HostAlias),
            HostAddress = Text(record, f.HostAddress),
            HostState = f.HostState,
            HostStateType = Text(record, f.HostStateType),
            HostOutput = Text(record, f.HostOutput),
            LongHostOutput = Text(record, f.LongHostOutput),
            Service = Text(record, f.Service),
            ServiceState = f.ServiceState,
            ServiceStateType = Text(record, f.ServiceStateType),
            ServiceAttempt = f.ServiceAttempt,
            ServiceOutput = Text(record, f.ServiceOutput),
            LongServiceOutput = Text(record, f.LongServiceOutput),
            ServiceProblemId = Text(record, f.ServiceProblemId),
            LastServiceProblemId = Text(record, f.LastServiceProblemId),
            HostProblemId = Text(record, f.HostProblemId),
            LastHostProblemId = Text(record, f.LastHostProblemId),
            NotificationNumber = f.NotificationNumber,
            Author = Text(record, f.Author),
            Comment = Text(record, f.Comment),
            LongDateTime = Text(record, f.LongDateTime),
            HostGroups = Text(record, f.HostGroups),
            ServiceGroups = Text(record, f.ServiceGroups),
            HostNotes = Text(record, f.HostNotes),
            HostNotesUrl = Text(record, f.HostNotesUrl),
            HostActionUrl = Text(record, f.HostActionUrl),
            ServiceNotes = Text(record, f.ServiceNotes),
            ServiceNotesUrl = Text(record, f.ServiceNotesUrl),
            ServiceActionUrl = Text(record, f.ServiceActionUrl),
            Vars = VarNames.ReadByName(f.Vars.Of(record)),
        };
    }

    /// <summary>Parses and decodes in one call, for code off the hot path (the CLI, tests, replay).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> record, out Notification? notification, out ParseFailure failure)
    {
        if (NotificationParser.TryParse(record, out var fields, out failure))
        {
            notification = Decode(record, in fields);
            return true;
        }

        notification = null;
        return false;
    }
}
