using System.Globalization;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Reconciliation;

/// <summary>One host's or service's status as Nagios wrote it to status.dat.</summary>
public sealed record ObjectStatus(
    string Host, string Service, AlertState State, bool Hard, bool NotificationsEnabled, bool Acknowledged, bool InDowntime,
    long LastStateChange, string Output, string ProblemId)
{
    public bool IsHost => Service.Length == 0;
}

/// <summary>
/// Reads Nagios' status.dat (blocks of <c>key=value</c> lines: <c>hoststatus {</c> … <c>}</c>): the current state of
/// every host and service, whether it is hard, acknowledged, in downtime, and since when. Other blocks are skipped;
/// a value is everything after the first '=' (plugin output may hold more).
/// </summary>
public static class StatusDatReader
{
    public static IReadOnlyList<ObjectStatus> Read(TextReader reader)
    {
        var result = new List<ObjectStatus>();
        Dictionary<string, string>? block = null;
        var kind = "";
        while (reader.ReadLine() is { } raw)
        {
            var line = raw.Trim();
            if (block is null)
            {
                if (line is "hoststatus {" or "servicestatus {")
                {
                    (block, kind) = (new Dictionary<string, string>(StringComparer.Ordinal), line);
                }

                continue;
            }

            if (line == "}")
            {
                if (Parse(block, kind == "servicestatus {") is { } status)
                {
                    result.Add(status);
                }

                block = null;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                block[line[..equals]] = line[(equals + 1)..];
            }
        }

        return result;
    }

    private static ObjectStatus? Parse(Dictionary<string, string> b, bool service)
    {
        if (!b.TryGetValue("host_name", out var host) || host.Length == 0 || (service && !b.ContainsKey("service_description")))
        {
            return null;
        }

        var code = Int(b, "current_state");
        var state = service
            ? code switch { 0 => AlertState.Ok, 1 => AlertState.Warning, 2 => AlertState.Critical, _ => AlertState.Unknown }
            : code switch { 0 => AlertState.Up, 1 => AlertState.Down, _ => AlertState.Unreachable };
        return new ObjectStatus(host, service ? b["service_description"] : "", state, Int(b, "state_type") == 1, Int(b, "notifications_enabled") == 1,
            Int(b, "problem_has_been_acknowledged") == 1, Int(b, "scheduled_downtime_depth") > 0, Int(b, "last_state_change"),
            b.GetValueOrDefault("plugin_output", ""), b.GetValueOrDefault("current_problem_id", ""));
    }

    private static long Int(Dictionary<string, string> b, string key) =>
        b.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
