using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.LoadGenerator.Soak;

/// <summary>
/// A helpdesk's day compressed into a ten-minute cycle, second by second: besides the repeats of firing problems,
/// problems that open, are acknowledged by Nagios and recover (ten a second), flapping, a router outage with the
/// hosts behind it unreachable (minute 3 to 5), and an alert storm of 1,500 new problems (minute 7, recovering at 8).
/// Each call to <see cref="Second"/> gives what Nagios sends in that second of the run.
/// </summary>
internal sealed class SoakDay
{
    public static readonly TimeSpan Cycle = TimeSpan.FromMinutes(10);
    private const int ChurnPerSecond = 10;
    private const int OutageHosts = 40;
    private const int StormProblems = 1_500;
    private readonly Dictionary<int, List<Notification>> _later = [];

    public long Special { get; private set; }

    public List<byte[]> Second(int second)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var sent = _later.Remove(second, out var due) ? due : [];
        var cycle = second / (int)Cycle.TotalSeconds;
        var inCycle = second % (int)Cycle.TotalSeconds;

        // Problems with a life: opened now, acknowledged by Nagios after 20 s (half of them), recovered after 60 s.
        for (var i = 0; i < ChurnPerSecond; i++)
        {
            var host = $"app{second:D5}-{i}";
            var customer = $"customer-{(second + i) % 50}";
            sent.Add(Service(NotificationType.Problem, host, "HTTP", AlertState.Critical, now, customer, "HTTP CRITICAL - 503 Service Unavailable"));
            if (i % 2 == 0)
            {
                At(second + 20, Service(NotificationType.Acknowledgement, host, "HTTP", AlertState.Critical, now + 20, customer, "HTTP CRITICAL - 503 Service Unavailable") with { Author = "nagiosadmin", Comment = "known: deploy in progress" });
            }

            At(second + 60, Service(NotificationType.Recovery, host, "HTTP", AlertState.Ok, now + 60, customer, "HTTP OK - 200 in 0.04 s"));
        }

        // Flapping: every 30 s a service starts flapping, and stops a minute later.
        if (second % 30 == 0)
        {
            var host = $"flap{second:D5}";
            sent.Add(Service(NotificationType.Problem, host, "Load", AlertState.Warning, now, "customer-7", "LOAD WARNING - 12.1"));
            At(second + 5, Service(NotificationType.FlappingStart, host, "Load", AlertState.Warning, now + 5, "customer-7", "LOAD WARNING - 12.3"));
            At(second + 65, Service(NotificationType.FlappingStop, host, "Load", AlertState.Ok, now + 65, "customer-7", "LOAD OK - 0.9"));
            At(second + 70, Service(NotificationType.Recovery, host, "Load", AlertState.Ok, now + 70, "customer-7", "LOAD OK - 0.8"));
        }

        // A router goes down at minute 3, the hosts behind it unreachable within seconds; all back at minute 5.
        if (inCycle == 180)
        {
            var router = $"rtr{cycle:D2}";
            sent.Add(Host(NotificationType.Problem, router, AlertState.Down, now, "PING CRITICAL - Packet loss = 100%"));
            At(second + 120, Host(NotificationType.Recovery, router, AlertState.Up, now + 120, "PING OK - Packet loss = 0%"));
            for (var h = 0; h < OutageHosts; h++)
            {
                At(second + 1 + (h % 5), Host(NotificationType.Problem, $"edge{cycle:D2}-{h:D2}", AlertState.Unreachable, now + 1 + (h % 5), "CRITICAL - Host Unreachable"));
                At(second + 121, Host(NotificationType.Recovery, $"edge{cycle:D2}-{h:D2}", AlertState.Up, now + 121, "PING OK - Packet loss = 0%"));
            }
        }

        // An alert storm at minute 7: 1,500 new problems over ten seconds, recovered a minute later.
        if (inCycle is >= 420 and < 430)
        {
            for (var i = 0; i < StormProblems / 10; i++)
            {
                var host = $"storm{cycle:D2}-{inCycle - 420}-{i:D3}";
                sent.Add(Service(NotificationType.Problem, host, "Disk /", AlertState.Critical, now, $"customer-{i % 50}", "DISK CRITICAL - 0% free"));
                At(second + 60, Service(NotificationType.Recovery, host, "Disk /", AlertState.Ok, now + 60, $"customer-{i % 50}", "DISK OK - 40% free"));
            }
        }

        Special += sent.Count;
        return sent.Select(NotificationWriter.ToUtf8).ToList();
    }

    private void At(int second, Notification n)
    {
        if (!_later.TryGetValue(second, out var list))
        {
            _later[second] = list = [];
        }

        list.Add(n);
    }

    private static Notification Service(NotificationType type, string host, string service, AlertState state, long t, string customer, string output) => new()
    {
        EventId = Guid.CreateVersion7(),
        Instance = "nagios-soak",
        Type = type,
        TimeT = t,
        Host = host,
        HostState = AlertState.Up,
        HostStateType = "HARD",
        Service = service,
        ServiceState = state,
        ServiceStateType = "HARD",
        ServiceOutput = output,
        NotificationNumber = 1,
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = customer },
    };

    private static Notification Host(NotificationType type, string host, AlertState state, long t, string output) => new()
    {
        EventId = Guid.CreateVersion7(),
        Instance = "nagios-soak",
        Type = type,
        TimeT = t,
        Host = host,
        HostState = state,
        HostStateType = "HARD",
        HostOutput = output,
        NotificationNumber = 1,
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "customer-3" },
    };
}
