using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Redis;

/// <summary>
/// Values in Redis, with prefixes the scripts read: an incident is "revision|L or T|writer|json", a member
/// "M|writer|json".
/// </summary>
internal static class SharedIncidentCodec
{
    public static string Encode(LiveIncident incident, string writer) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{incident.Revision}|{(incident.Record is null ? 'T' : 'L')}|{writer}|{JsonSerializer.Serialize(incident, SharedIncidentJson.Default.LiveIncident)}");

    public static string Encode(AlertMember member, string writer) =>
        $"M|{writer}|{JsonSerializer.Serialize(member, SharedIncidentJson.Default.AlertMember)}";

    /// <summary>A member's field: its incident and its alert's identity (unit separators cannot occur in Nagios names).</summary>
    public static string MemberField(AlertMember m) =>
        string.Create(CultureInfo.InvariantCulture, $"m:{m.IncidentId}:{m.Instance}\u001f{m.Host}\u001f{m.Service}");

    public static bool IsMember(string value) => value.StartsWith("M|", StringComparison.Ordinal);

    public static AlertMember? DecodeMember(string value, string skipWriter)
    {
        var parts = value.Split('|', 3);
        if (parts.Length < 3 || parts[1] == skipWriter)
        {
            return null;
        }

        return JsonSerializer.Deserialize(parts[2], SharedIncidentJson.Default.AlertMember) ?? throw new FormatException("an empty shared member");
    }

    /// <summary>The incident, unless this writer wrote it (its own decider has it) or the value is empty (gone since).</summary>
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
[JsonSerializable(typeof(AlertMember))]
internal sealed partial class SharedIncidentJson : JsonSerializerContext;
