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
        foreach (var row in WireFields.Rows)
        {
            var name = row.Encoded;
            switch (row.Field)
            {
                case WireField.V:
                    w.WriteNumber(name, n.Version);
                    break;
                case WireField.Id:
                    w.WriteString(name, n.EventId);
                    break;
                case WireField.Instance:
                    w.WriteString(name, n.Instance);
                    break;
                case WireField.Type:
                    w.WriteString(name, NagiosNames.Of(n.Type));
                    break;
                case WireField.TimeT:
                    w.WriteNumber(name, n.TimeT);
                    break;
                case WireField.Host:
                    w.WriteString(name, n.Host);
                    break;
                case WireField.ServiceAttempt when n.ServiceAttempt != 0:
                    w.WriteNumber(name, n.ServiceAttempt);
                    break;
                case WireField.NotificationNumber:
                    w.WriteNumber(name, n.NotificationNumber);
                    break;
                case WireField.Vars when n.Vars.Count > 0:
                    w.WriteStartObject(name);
                    foreach (var (var, value) in n.Vars.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        w.WriteString(var, value);
                    }

                    w.WriteEndObject();
                    break;
                default:
                    // Every other field is optional text: left out when empty.
                    if (row.Text?.Invoke(n) is { Length: > 0 } text)
                    {
                        w.WriteString(name, text);
                    }

                    break;
            }
        }

        w.WriteEndObject();
    }
}
