using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Archive;

/// <summary>
/// A closed incident as the archive keeps it: one self-describing JSON document (the incident's columns by name, its
/// timeline and its correlated alerts), Brotli-compressed. Both stores keep the same bytes, and an export writes the
/// same JSON, one incident per line. Columns are named, not positioned, so a document written before a column was
/// added still reads (the new column takes its default) and the archive never needs a migration of its own.
/// </summary>
public static class ArchiveDocument
{
    /// <summary>The format's version, written into every document; a reader refuses a newer one.</summary>
    public const int Version = 1;

    // Quality 5 of 11: most of the size win of higher qualities for a fraction of their CPU (timeline text repeats a lot).
    private const int Quality = 5;
    private const int Window = 22;

    public static byte[] Encode(IncidentDetail detail) => Compress(Json(detail));

    public static IncidentDetail Decode(ReadOnlySpan<byte> document) => FromJson(Decompress(document));

    /// <summary>The document's JSON, uncompressed: what an export writes as one line.</summary>
    public static byte[] Json(IncidentDetail detail)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            json.WriteStartObject("incident");
            var columns = new JsonColumns(json);
            IncidentColumns.Write(detail.Incident, ref columns);
            json.WriteEndObject();
            json.WriteStartArray("timeline");
            foreach (var t in detail.Timeline)
            {
                json.WriteStartObject();
                json.WriteNumber("seq", t.Seq);
                json.WriteNumber("at", t.At.ToUnixTimeMilliseconds());
                json.WriteString("kind", TimelineKindNames.Of(t.Kind));
                if (t.EventId is { } id)
                {
                    json.WriteString("event", id);
                }

                json.WriteString("text", t.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("members");
            foreach (var m in detail.Members)
            {
                json.WriteStartObject();
                json.WriteString("instance", m.Instance);
                json.WriteString("host", m.Host);
                json.WriteString("service", m.Service);
                json.WriteString("customer", m.Customer);
                json.WriteString("rule", m.Rule);
                json.WriteString("key", m.Key);
                json.WriteString("state", NagiosNames.Of(m.State));
                json.WriteBoolean("recovered", m.Recovered);
                json.WriteString("problem_id", m.ProblemId);
                json.WriteNumber("alert_count", m.AlertCount);
                json.WriteNumber("joined_at", m.JoinedAt.ToUnixTimeMilliseconds());
                json.WriteNumber("last_seen_at", m.LastSeenAt.ToUnixTimeMilliseconds());
                json.WriteString("last_output", m.LastOutput);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static IncidentDetail FromJson(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (!root.TryGetProperty("v", out var v) || v.GetInt32() > Version)
        {
            throw new FormatException($"an archived incident is in format version {(root.TryGetProperty("v", out var w) ? w.ToString() : "?")}, newer than this service reads ({Version}); upgrade the service");
        }

        var columns = new JsonColumnReader(root.GetProperty("incident"));
        var incident = IncidentColumns.Read(ref columns);
        var timeline = new List<TimelineEntry>();
        foreach (var t in root.GetProperty("timeline").EnumerateArray())
        {
            timeline.Add(new TimelineEntry(incident.Id, t.GetProperty("seq").GetInt32(), At(t.GetProperty("at")),
                TimelineKindNames.Parse(t.GetProperty("kind").GetString()!), t.TryGetProperty("event", out var e) ? e.GetGuid() : null,
                t.GetProperty("text").GetString()!));
        }

        var members = new List<AlertMember>();
        foreach (var m in root.GetProperty("members").EnumerateArray())
        {
            members.Add(new AlertMember(incident.Id, Text(m, "instance"), Text(m, "host"), Text(m, "service"), Text(m, "rule"), Text(m, "key"),
                NagiosNames.ParseState(Text(m, "state")), m.GetProperty("recovered").GetBoolean(), Text(m, "problem_id"),
                m.GetProperty("alert_count").GetInt64(), At(m.GetProperty("joined_at")), At(m.GetProperty("last_seen_at")), Text(m, "last_output"))
            {
                Customer = Text(m, "customer"),
            });
        }

        return new IncidentDetail(incident, timeline) { Members = members };
    }

    public static byte[] Compress(ReadOnlySpan<byte> json)
    {
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(json.Length)];
        if (!BrotliEncoder.TryCompress(json, output, out var written, Quality, Window))
        {
            throw new InvalidOperationException("compressing an archived incident failed");
        }

        return output.AsSpan(0, written).ToArray();
    }

    public static byte[] Decompress(ReadOnlySpan<byte> document)
    {
        using var decoder = new BrotliDecoder();
        var output = new ArrayBufferWriter<byte>(Math.Max(256, document.Length * 4));
        while (true)
        {
            var status = decoder.Decompress(document, output.GetSpan(4096), out var consumed, out var written);
            output.Advance(written);
            document = document[consumed..];
            switch (status)
            {
                case OperationStatus.Done:
                    return output.WrittenSpan.ToArray();
                case OperationStatus.DestinationTooSmall:
                    continue;
                default:
                    throw new FormatException("an archived incident is damaged: its compressed document does not decode");
            }
        }
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static DateTimeOffset At(JsonElement e) => DateTimeOffset.FromUnixTimeMilliseconds(e.GetInt64());

    /// <summary>Writes each column as a property named after it; instants as Unix milliseconds, as the stores keep them.</summary>
    private struct JsonColumns(Utf8JsonWriter json) : IColumnWriter
    {
        private int _next;

        private string Name => IncidentColumns.All[_next++].Name;

        public void Text(string value) => json.WriteString(Name, value);

        public void Int64(long value) => json.WriteNumber(Name, value);

        public void Int32(int value) => json.WriteNumber(Name, value);

        public void Flag(bool value) => json.WriteBoolean(Name, value);

        public void Instant(DateTimeOffset value) => json.WriteNumber(Name, value.ToUnixTimeMilliseconds());

        public void InstantOrNull(DateTimeOffset? value)
        {
            if (value is { } at)
            {
                json.WriteNumber(Name, at.ToUnixTimeMilliseconds());
            }
            else
            {
                json.WriteNull(Name);
            }
        }

        public void Int64OrNull(long? value)
        {
            if (value is { } n)
            {
                json.WriteNumber(Name, n);
            }
            else
            {
                json.WriteNull(Name);
            }
        }
    }

    /// <summary>Reads the columns back by name; a column the document predates takes its default.</summary>
    private struct JsonColumnReader(JsonElement incident) : IColumnReader
    {
        private int _next;

        private JsonElement? Value => incident.TryGetProperty(IncidentColumns.All[_next++].Name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

        public string Text() => Value?.GetString() ?? "";

        public long Int64() => Value?.GetInt64() ?? 0;

        public int Int32() => Value?.GetInt32() ?? 0;

        public bool Flag() => Value?.GetBoolean() ?? false;

        public DateTimeOffset Instant() => Value is { } v ? At(v) : DateTimeOffset.UnixEpoch;

        public DateTimeOffset? InstantOrNull() => Value is { } v ? At(v) : null;

        public long? Int64OrNull() => Value?.GetInt64();
    }
}
