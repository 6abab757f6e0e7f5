using System.Globalization;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Cli;

/// <summary>Turns Nagios macro values into a wire record, saying exactly which macro is wrong when it cannot.</summary>
public static class NotificationAssembler
{
    public static (Notification? Notification, string? Error) Assemble(NotificationInput input, string instance, Guid eventId, long nowUnixSeconds)
    {
        var typeText = input.Get("NOTIFICATIONTYPE");
        var type = NagiosNames.ParseType(typeText);
        if (type == NotificationType.None)
        {
            return (null, typeText.Length == 0
                ? "NAGIOS_NOTIFICATIONTYPE is missing (set enable_environment_macros=1 in nagios.cfg, or pass --type)"
                : $"NAGIOS_NOTIFICATIONTYPE '{typeText}' is not a Nagios notification type");
        }

        var host = input.Get("HOSTNAME");
        if (host.Length == 0)
        {
            return (null, "NAGIOS_HOSTNAME is missing (or pass --host)");
        }

        if (!TryLong(input, "TIMET", nowUnixSeconds, out var timeT)
            || !TryInt(input, "SERVICEATTEMPT", out var attempt)
            || !TryInt(input, "NOTIFICATIONNUMBER", out var number))
        {
            return (null, "NAGIOS_TIMET, NAGIOS_SERVICEATTEMPT and NAGIOS_NOTIFICATIONNUMBER must be whole numbers");
        }

        var service = input.Get("SERVICEDESC");
        var hostState = NagiosNames.ParseHostState(input.Get("HOSTSTATE"));
        var serviceState = NagiosNames.ParseServiceState(input.Get("SERVICESTATE"));
        if (input.Get("HOSTSTATE").Length > 0 && hostState == AlertState.None)
        {
            return (null, $"NAGIOS_HOSTSTATE '{input.Get("HOSTSTATE")}' must be UP, DOWN or UNREACHABLE");
        }

        if (service.Length > 0 && serviceState == AlertState.None)
        {
            return (null, $"NAGIOS_SERVICESTATE '{input.Get("SERVICESTATE")}' must be OK, WARNING, CRITICAL or UNKNOWN for service '{service}'");
        }

        var vars = input.Macros
            .Where(m => m.Key.StartsWith("_HOST", StringComparison.Ordinal) || m.Key.StartsWith("_SERVICE", StringComparison.Ordinal))
            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        return (new Notification
        {
            EventId = eventId,
            Instance = instance,
            Type = type,
            TimeT = timeT,
            Host = host,
            HostAlias = input.Get("HOSTALIAS"),
            HostAddress = input.Get("HOSTADDRESS"),
            HostState = hostState,
            HostStateType = input.Get("HOSTSTATETYPE"),
            HostOutput = input.Get("HOSTOUTPUT"),
            LongHostOutput = input.Get("LONGHOSTOUTPUT"),
            Service = service,
            ServiceState = service.Length > 0 ? serviceState : AlertState.None,
            ServiceStateType = service.Length > 0 ? input.Get("SERVICESTATETYPE") : "",
            ServiceAttempt = attempt,
            ServiceOutput = service.Length > 0 ? input.Get("SERVICEOUTPUT") : "",
            LongServiceOutput = service.Length > 0 ? input.Get("LONGSERVICEOUTPUT") : "",
            ServiceProblemId = service.Length > 0 ? input.Get("SERVICEPROBLEMID") : "",
            LastServiceProblemId = service.Length > 0 ? input.Get("LASTSERVICEPROBLEMID") : "",
            HostProblemId = input.Get("HOSTPROBLEMID"),
            LastHostProblemId = input.Get("LASTHOSTPROBLEMID"),
            NotificationNumber = number,
            Author = input.Get("NOTIFICATIONAUTHOR"),
            Comment = input.Get("NOTIFICATIONCOMMENT"),
            LongDateTime = input.Get("LONGDATETIME"),
            HostGroups = input.Get("HOSTGROUPNAMES"),
            ServiceGroups = service.Length > 0 ? input.Get("SERVICEGROUPNAMES") : "",
            HostNotes = input.Get("HOSTNOTES"),
            HostNotesUrl = input.Get("HOSTNOTESURL"),
            HostActionUrl = input.Get("HOSTACTIONURL"),
            ServiceNotes = service.Length > 0 ? input.Get("SERVICENOTES") : "",
            ServiceNotesUrl = service.Length > 0 ? input.Get("SERVICENOTESURL") : "",
            ServiceActionUrl = service.Length > 0 ? input.Get("SERVICEACTIONURL") : "",
            Vars = vars,
        }, null);
    }

    private static bool TryLong(NotificationInput input, string macro, long fallback, out long value)
    {
        var text = input.Get(macro);
        value = fallback;
        return text.Length == 0 || long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryInt(NotificationInput input, string macro, out int value)
    {
        var text = input.Get(macro);
        value = 0;
        return text.Length == 0 || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
