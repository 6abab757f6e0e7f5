using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Spool;

/// <summary>
/// Dead letters as one JSON file each: source, reason, message, arrival time and the exact payload (as text when it is
/// valid UTF-8, and always as base64), written durably so a refused record is never lost.
/// </summary>
public sealed class DeadLetterDirectory : IDeadLetterSink
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly string _directory;
    private readonly string _temporary;

    public DeadLetterDirectory(string directory)
    {
        _directory = directory;
        _temporary = Path.Combine(directory, ".tmp");
        Directory.CreateDirectory(directory, DurableFile.SharedDirectoryMode);
        Directory.CreateDirectory(_temporary, DurableFile.SharedDirectoryMode);
    }

    public ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        Write(letter);
        return ValueTask.CompletedTask;
    }

    public string Write(DeadLetter letter)
    {
        var buffer = new ArrayBufferWriter<byte>(letter.Payload.Length * 2 + 512);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("source", letter.Source);
            w.WriteString("reason", RejectReasons.Label(letter.Reason));
            w.WriteString("message", letter.Message);
            w.WriteString("receivedAt", letter.ReceivedAt);
            if (Utf8.IsValid(letter.Payload.Span))
            {
                w.WriteString("payload", letter.Payload.Span);
            }

            w.WriteBase64String("payloadBase64", letter.Payload.Span);
            w.WriteEndObject();
        }

        var name = letter.ReceivedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N") + ".json";
        var path = Path.Combine(_directory, name);
        DurableFile.Write(_temporary, path, buffer.WrittenSpan);
        return path;
    }
}
