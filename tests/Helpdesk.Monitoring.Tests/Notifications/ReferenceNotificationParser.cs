using System.Globalization;
using System.Text.Json;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Notifications;

/// <summary>
/// A deliberately simple parser of the v1 record over JsonDocument and strings, written from the format's rules
/// (README "Wire record"), to check the span parser against.
/// </summary>
internal static class ReferenceNotificationParser
{
    private static readonly string[] StringFields =
    [
        "id", "instance", "type", "host", "hostAlias", "hostAddress", "hostState", "hostStateType", "hostOutput", "longHostOutput",
        "service", "serviceState", "serviceStateType", "serviceOutput", "longServiceOutput", "serviceProblemId", "lastServiceProblemId",
        "hostProblemId", "lastHostProblemId", "author", "comment", "longDateTime", "hostGroups", "serviceGroups",
    ];

    private static readonly string[] IntFields = ["v", "serviceAttempt", "notificationNumber"];

    public static Notification? Parse(byte[] record)
    {
        if (record.Length > RecordLimits.MaxRecordBytes)
        {
            return null;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(record, new JsonDocumentOptions { MaxDepth = 3 });
        }
        catch (Exception)
        {
            return null;
        }

        using (doc)
        {
            try
            {
                return FromObject(doc.RootElement);
            }
            catch (InvalidOperationException)
            {
                return null; // invalid UTF-8 or surrogates surfaced by GetString
            }
        }
    }

    private static Notification? FromObject(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var strings = new Dictionary<string, string>();
        var ints = new Dictionary<string, int>();
        long? timeT = null;
        Dictionary<string, string>? vars = null;
        var seen = new HashSet<string>();
        foreach (var p in root.EnumerateObject())
        {
            var known = StringFields.Contains(p.Name) || IntFields.Contains(p.Name) || p.Name is "timet" or "vars";
            if (!known)
            {
                continue;
            }

            if (!seen.Add(p.Name))
            {
                return null;
            }

            if (StringFields.Contains(p.Name))
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                strings[p.Name] = p.Value.GetString()!;
            }
            else if (IntFields.Contains(p.Name))
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var i) || i < 0)
                {
                    return null;
                }

                ints[p.Name] = i;
            }
            else if (p.Name == "timet")
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out var t))
                {
                    return null;
                }

                timeT = t;
            }
            else
            {
                vars = Vars(p.Value);
                if (vars is null)
                {
                    return null;
                }
            }
        }

        return Validate(strings, ints, timeT, vars ?? []);
    }

    private static Dictionary<string, string>? Vars(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var vars = new Dictionary<string, string>();
        foreach (var v in value.EnumerateObject())
        {
            var nameOk = v.Name.Length is >= 2 and <= 64 && v.Name[0] == '_' && v.Name.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');
            if (!nameOk || v.Value.ValueKind != JsonValueKind.String || vars.Count >= 64 || !vars.TryAdd(v.Name, v.Value.GetString()!))
            {
                return null;
            }
        }

        return vars;
    }

    private static Notification? Validate(Dictionary<string, string> s, Dictionary<string, int> ints, long? timeT, Dictionary<string, string> vars)
    {
        string S(string name) => s.TryGetValue(name, out var v) ? v : "";
        if (!ints.TryGetValue("v", out var version) || !s.ContainsKey("id") || !s.ContainsKey("instance") || !s.ContainsKey("type") || timeT is null || !s.ContainsKey("host"))
        {
            return null;
        }

        if (version != 1 || timeT <= 0 || timeT > 253_402_300_799)
        {
            return null;
        }

        // Guid.TryParseExact tolerates a "0x" prefix; a UUID is strictly 8-4-4-4-12 hex digits.
        if (!System.Text.RegularExpressions.Regex.IsMatch(S("id"), "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
            || !Guid.TryParseExact(S("id"), "D", out var id) || id == Guid.Empty)
        {
            return null;
        }

        var type = NagiosNames.ParseType(S("type"));
        if (type == NotificationType.None || !NameOk(S("instance"), true) || !NameOk(S("host"), true) || !NameOk(S("service"), false))
        {
            return null;
        }

        var hostState = NagiosNames.ParseHostState(S("hostState"));
        var serviceState = NagiosNames.ParseServiceState(S("serviceState"));
        if ((S("hostState").Length > 0 && hostState == AlertState.None) || (S("serviceState").Length > 0 && serviceState == AlertState.None))
        {
            return null;
        }

        var state = S("service").Length > 0 ? serviceState : hostState;
        var healthy = state is AlertState.Ok or AlertState.Up;
        if (state == AlertState.None || (type == NotificationType.Problem && healthy) || (type == NotificationType.Recovery && !healthy))
        {
            return null;
        }

        return new Notification
        {
            EventId = id,
            Instance = S("instance"),
            Type = type,
            TimeT = timeT.Value,
            Host = S("host"),
            HostAlias = S("hostAlias"),
            HostAddress = S("hostAddress"),
            HostState = hostState,
            HostStateType = S("hostStateType"),
            HostOutput = S("hostOutput"),
            LongHostOutput = S("longHostOutput"),
            Service = S("service"),
            ServiceState = serviceState,
            ServiceStateType = S("serviceStateType"),
            ServiceAttempt = ints.GetValueOrDefault("serviceAttempt"),
            ServiceOutput = S("serviceOutput"),
            LongServiceOutput = S("longServiceOutput"),
            ServiceProblemId = S("serviceProblemId"),
            LastServiceProblemId = S("lastServiceProblemId"),
            HostProblemId = S("hostProblemId"),
            LastHostProblemId = S("lastHostProblemId"),
            NotificationNumber = ints.GetValueOrDefault("notificationNumber"),
            Author = S("author"),
            Comment = S("comment"),
            LongDateTime = S("longDateTime"),
            HostGroups = S("hostGroups"),
            ServiceGroups = S("serviceGroups"),
            Vars = vars,
        };
    }

    private static bool NameOk(string name, bool required)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        return (name.Length > 0 || !required) && bytes <= 255 && !name.Any(c => c < ' ' || c == '\u007f'
            || c is (>= '\u0080' and <= '\u009f') or (>= '\u200b' and <= '\u200f') or (>= '\u202a' and <= '\u202e') or (>= '\u2060' and <= '\u2069') or '\ufeff');
    }
}
