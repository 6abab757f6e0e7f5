using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>Writes the v1 wire record: compact UTF-8 JSON, empty fields left out, non-ASCII kept as is.</summary>
public static class NotificationWriter
{
    // Relaxed escaping keeps names and outputs unescaped, which is what lets the parser use them in place.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToUtf8(Notification n)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, n);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, Notification n)
    {
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteNumber("v"u8, n.Version);
        w.WriteString("id"u8, n.EventId);
        w.WriteString("instance"u8, n.Instance);
        w.WriteString("type"u8, NagiosNames.Of(n.Type));
        w.WriteNumber("timet"u8, n.TimeT);
        w.WriteString("host"u8, n.Host);
        Optional(w, "hostAlias"u8, n.HostAlias);
        Optional(w, "hostAddress"u8, n.HostAddress);
        Optional(w, "hostState"u8, NagiosNames.Of(n.HostState));
        Optional(w, "hostStateType"u8, n.HostStateType);
        Optional(w, "hostOutput"u8, n.HostOutput);
        Optional(w, "longHostOutput"u8, n.LongHostOutput);
        Optional(w, "service"u8, n.Service);
        Optional(w, "serviceState"u8, NagiosNames.Of(n.ServiceState));
        Optional(w, "serviceStateType"u8, n.ServiceStateType);
        if (n.ServiceAttempt != 0)
        {
            w.WriteNumber("serviceAttempt"u8, n.ServiceAttempt);
        }

        Optional(w, "serviceOutput"u8, n.ServiceOutput);
        Optional(w, "longServiceOutput"u8, n.LongServiceOutput);
        Optional(w, "serviceProblemId"u8, n.ServiceProblemId);
        Optional(w, "lastServiceProblemId"u8, n.LastServiceProblemId);
        Optional(w, "hostProblemId"u8, n.HostProblemId);
        Optional(w, "lastHostProblemId"u8, n.LastHostProblemId);
        w.WriteNumber("notificationNumber"u8, n.NotificationNumber);
        Optional(w, "author"u8, n.Author);
        Optional(w, "comment"u8, n.Comment);
        Optional(w, "longDateTime"u8, n.LongDateTime);
        Optional(w, "hostGroups"u8, n.HostGroups);
        Optional(w, "serviceGroups"u8, n.ServiceGroups);
        if (n.Vars.Count > 0)
        {
            w.WriteStartObject("vars"u8);
            foreach (var (name, value) in n.Vars.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, ReadOnlySpan<byte> name, string value)
    {
        if (value.Length > 0)
        {
            w.WriteString(name, value);
        }
    }
}
