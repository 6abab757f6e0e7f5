using System.Text.Json;

namespace Helpdesk.Monitoring.Hosting.Ingest;

/// <summary>Splits a POST body (one record object, or an array of them) into the byte ranges of its records.</summary>
internal static class BatchBody
{
    /// <summary>The records' ranges, or an error saying why the body is not one record or an array of records.</summary>
    public static (List<Range> Records, string? Error) Split(ReadOnlySpan<byte> body)
    {
        var records = new List<Range>();
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read())
            {
                return (records, "the body is empty");
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                records.Add(new Range(start, (int)reader.BytesConsumed));
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    records.Add(new Range(start, (int)reader.BytesConsumed));
                }
            }
            else
            {
                return (records, "the body must be a notification object or an array of them");
            }

            return reader.Read() ? (records, "content after the JSON value") : (records, null);
        }
        catch (JsonException ex)
        {
            return (records, ex.Message);
        }
    }
}
