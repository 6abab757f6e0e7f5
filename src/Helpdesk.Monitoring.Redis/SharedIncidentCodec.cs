using System.Globalization;
using System.Text.Json;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Redis;

/// <summary>An incident's value in Redis: "revision|L or T|writer|json", the prefix readable by the scripts.</summary>
internal static class SharedIncidentCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static string Encode(LiveIncident incident, string writer) =>
        string.Create(CultureInfo.InvariantCulture, $"{incident.Revision}|{(incident.Record is null ? 'T' : 'L')}|{writer}|{JsonSerializer.Serialize(incident, Json)}");

    /// <summary>The incident, unless this writer wrote it (its own book has it) or the value is empty (gone since).</summary>
    public static LiveIncident? Decode(string value, string skipWriter)
    {
        var parts = value.Split('|', 4);
        if (parts.Length < 4 || parts[2] == skipWriter)
        {
            return null;
        }

        return JsonSerializer.Deserialize<LiveIncident>(parts[3], Json)
            ?? throw new FormatException("an empty shared incident");
    }
}
