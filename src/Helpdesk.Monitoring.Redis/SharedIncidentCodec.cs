using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Redis;

/// <summary>An incident's value in Redis: "revision|L or T|writer|json", the prefix readable by the scripts.</summary>
internal static class SharedIncidentCodec
{
    public static string Encode(LiveIncident incident, string writer) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{incident.Revision}|{(incident.Record is null ? 'T' : 'L')}|{writer}|{JsonSerializer.Serialize(incident, SharedIncidentJson.Default.LiveIncident)}");

    /// <summary>The incident, unless this writer wrote it (its own book has it) or the value is empty (gone since).</summary>
    public static LiveIncident? Decode(string value, string skipWriter)
    {
        var parts = value.Split('|', 4);
        if (parts.Length < 4 || parts[2] == skipWriter)
        {
            return null;
        }

        return JsonSerializer.Deserialize(parts[3], SharedIncidentJson.Default.LiveIncident)
            ?? throw new FormatException("an empty shared incident");
    }
}

/// <summary>Generated at build time: a batch's changed incidents are encoded on the pipeline thread, after every commit.</summary>
[JsonSerializable(typeof(LiveIncident))]
internal sealed partial class SharedIncidentJson : JsonSerializerContext;
