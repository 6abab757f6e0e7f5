using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Benchmarks;

/// <summary>Realistic records: the size and shape Nagios sends for a service problem of a customer's host.</summary>
internal static class Traffic
{
    public const long T0 = 1_795_000_000;

    public static Notification Problem(int host, int service, Guid id, string output = "CRITICAL - Socket timeout after 10 seconds") => new()
    {
        EventId = id,
        Instance = "nagios-prod-1",
        Type = NotificationType.Problem,
        TimeT = T0,
        Host = $"cust{host % 50:D2}-srv{host:D5}",
        HostAlias = $"Customer {host % 50} server {host}",
        HostAddress = $"10.{host / 65536 % 256}.{host / 256 % 256}.{host % 256}",
        HostState = AlertState.Up,
        HostStateType = "HARD",
        Service = ServiceNames[service % ServiceNames.Length],
        ServiceState = AlertState.Critical,
        ServiceStateType = "HARD",
        ServiceAttempt = 3,
        ServiceOutput = output,
        ServiceProblemId = (100_000 + host * 5 + service).ToString(System.Globalization.CultureInfo.InvariantCulture),
        LastServiceProblemId = "0",
        NotificationNumber = 1,
        LongDateTime = "Sun Nov 22 06:00:00 UTC 2026",
        HostGroups = "linux-servers,customer-" + (host % 50),
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "customer-" + (host % 50) },
    };

    /// <summary>The default policy without storm mode, for set-ups that open thousands of incidents in one second.</summary>
    public static readonly IncidentPolicy WithoutStorm = new()
    {
        Rules = new HelpdeskRules { Correlation = new CorrelationPolicy { Storm = new StormPolicy { Enabled = false } } },
    };

    /// <summary>A host notification (DOWN, UNREACHABLE) of the same size and shape.</summary>
    public static Notification HostProblem(string host, AlertState state, Guid id, long timeT = T0) => new()
    {
        EventId = id,
        Instance = "nagios-prod-1",
        Type = NotificationType.Problem,
        TimeT = timeT,
        Host = host,
        HostAlias = "Host " + host,
        HostAddress = "10.1.2.3",
        HostState = state,
        HostStateType = "HARD",
        HostOutput = state == AlertState.Down ? "PING CRITICAL - Packet loss = 100%" : "CRITICAL - Host Unreachable (10.1.2.3)",
        HostProblemId = "0",
        LastHostProblemId = "0",
        NotificationNumber = 1,
        LongDateTime = "Sun Nov 22 06:00:00 UTC 2026",
        HostGroups = "network",
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "customer-1" },
    };

    /// <summary>A service problem on a named host.</summary>
    public static Notification ServiceProblem(string host, string service, Guid id, long timeT = T0) =>
        Problem(0, 0, id) with { Host = host, Service = service, TimeT = timeT, ServiceProblemId = "0" };

    public static IReadOnlyList<string> Services => ServiceNames;

    private static readonly string[] ServiceNames = ["HTTP", "Disk /var", "Load", "SSH", "PING"];
}
