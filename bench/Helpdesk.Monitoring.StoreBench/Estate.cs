using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.StoreBench;

/// <summary>
/// Incidents as a helpdesk's day makes them, through the real decider into the real store: a service problem that is
/// acknowledged, recovers and closes after the verification hold (four timeline entries), and every
/// <see cref="OutageEvery"/>th a server that goes down with its services, which join its incident as members.
/// </summary>
internal sealed class Estate(IIncidentStore store, DateTimeOffset start, StoreSnapshot? from = null)
{
    public const int OutageEvery = 50;
    public const int ServicesPerServer = 8;
    private const int Customers = 50;
    private static readonly string[] Channels = ["webhook"];

    // ~200 bytes, as a check plugin's output with performance data typically is.
    private static readonly string Output = "DISK CRITICAL - free space: / 1843 MB (4.2% inode=91%); /var 211 MB (1.1% inode=97%);| /=41812MB;35094;39481;0;43868 /var=18002MB;15164;17060;0;18956";

    private readonly IncidentDecider _decider = from is null ? new(Policy(), [], 0, 0)
        : new(Policy(), from.Live, from.LastIncidentId, from.MaxEventUnixMs, from.Members);

    // Host names go on from where the store's incidents stopped, so a second run on the same store opens new incidents.
    private long _next = from?.LastIncidentId ?? 0;

    public long Notifications { get; private set; }

    private static IncidentPolicy Policy()
    {
        // One incident per problem: storm mode would fold a generated burst into one incident.
        var (rules, errors) = RulesFile.Parse("""{ "version": 1, "correlation": { "storm": { "enabled": false } } }""");
        return errors.Count == 0 ? new IncidentPolicy().WithRules(rules!) : throw new InvalidOperationException(string.Join("; ", errors));
    }

    /// <summary>Opens, works and closes <paramref name="count"/> incidents, committed in batches as the pipeline would.</summary>
    public async Task RunAsync(int count, int batch = 500)
    {
        var now = start;
        for (var done = 0; done < count; done += batch)
        {
            var notifications = new List<Notification>();
            for (var i = done; i < Math.Min(count, done + batch); i++)
            {
                notifications.AddRange(i % OutageEvery == 0 ? Outage(now) : Problem(now));
            }

            await CommitAsync(now, notifications);
            now = now.AddMinutes(5);
        }

        // Past the verification hold: every resolved incident closes.
        await CommitAsync(now.AddHours(2), []);
    }

    /// <summary>Opens <paramref name="count"/> problems that stay open: the queue agents work.</summary>
    public async Task OpenAsync(int count, DateTimeOffset now)
    {
        var notifications = new List<Notification>();
        for (var i = 0; i < count; i++)
        {
            var n = _next++;
            notifications.Add(Service(NotificationType.Problem, $"srv{n:D7}", "Disk /var", AlertState.Critical, now.ToUnixTimeSeconds(), $"customer{n % Customers:D2}"));
        }

        await CommitAsync(now, notifications);
    }

    /// <summary>
    /// Opens a problem on every service of an estate (customers × hosts × services, the side-by-side's shape), in
    /// commits of <paramref name="chunk"/>: the open incidents a storm leaves, each host's services apart.
    /// </summary>
    public async Task OpenEstateAsync(int customers, int hostsPerCustomer, int servicesPerHost, DateTimeOffset now, int chunk = 5_000)
    {
        var notifications = new List<Notification>();
        var t = now.ToUnixTimeSeconds();
        for (var c = 0; c < customers; c++)
        {
            for (var h = 0; h < hostsPerCustomer; h++)
            {
                for (var s = 0; s < servicesPerHost; s++)
                {
                    notifications.Add(Service(NotificationType.Problem, $"c{c:D2}-host{h:D4}", $"Service {s}", AlertState.Critical, t, $"customer{c:D2}"));
                    if (notifications.Count == chunk)
                    {
                        await CommitAsync(now, notifications);
                        notifications = [];
                    }
                }
            }
        }

        await CommitAsync(now, notifications);
    }

    /// <summary>
    /// The decider's first turn with no notification, as after a rebuild: it goes through every failing alert the store
    /// holds for incidents they explain (none here: each incident stands alone). How long it took, and what it changed.
    /// </summary>
    public (TimeSpan Took, bool Changed) FirstTurn(DateTimeOffset now)
    {
        var plan = new CommitPlan();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _decider.ApplyTimers(now, plan);
        return (watch.Elapsed, !plan.IsEmpty);
    }

    /// <summary>One commit of what a busy minute brings: new problems and recoveries of earlier ones.</summary>
    public async Task<TimeSpan> CommitMinuteAsync(DateTimeOffset now, int problems)
    {
        var notifications = new List<Notification>();
        var t = now.ToUnixTimeSeconds();
        for (var i = 0; i < problems; i++)
        {
            var n = _next++;
            var (host, customer) = ($"srv{n:D7}", $"customer{n % Customers:D2}");
            notifications.Add(Service(NotificationType.Problem, host, "Disk /var", AlertState.Critical, t, customer));
            notifications.Add(Service(NotificationType.Recovery, host, "Disk /var", AlertState.Ok, t + 1, customer));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await CommitAsync(now, notifications);
        return clock.Elapsed;
    }

    private IEnumerable<Notification> Problem(DateTimeOffset now)
    {
        var n = _next++;
        var host = $"srv{n:D7}";
        var customer = $"customer{n % Customers:D2}";
        var t = now.ToUnixTimeSeconds();
        yield return Service(NotificationType.Problem, host, "Disk /var", AlertState.Critical, t, customer);
        yield return Service(NotificationType.Acknowledgement, host, "Disk /var", AlertState.Critical, t + 60, customer) with { Author = "alice", Comment = "Rotating the logs" };
        yield return Service(NotificationType.Recovery, host, "Disk /var", AlertState.Ok, t + 600, customer);
    }

    private IEnumerable<Notification> Outage(DateTimeOffset now)
    {
        var n = _next++;
        var host = $"srv{n:D7}";
        var customer = $"customer{n % Customers:D2}";
        var t = now.ToUnixTimeSeconds();
        yield return Host(NotificationType.Problem, host, AlertState.Down, t, customer);
        for (var s = 0; s < ServicesPerServer; s++)
        {
            yield return Service(NotificationType.Problem, host, $"Service {s}", AlertState.Critical, t + 5, customer);
        }

        for (var s = 0; s < ServicesPerServer; s++)
        {
            yield return Service(NotificationType.Recovery, host, $"Service {s}", AlertState.Ok, t + 900, customer);
        }

        yield return Host(NotificationType.Recovery, host, AlertState.Up, t + 900, customer);
    }

    /// <summary>
    /// Decides wire records (already written, so their writing is not timed) and commits them as one plan, as the
    /// pipeline does a batch; returns the time each took.
    /// </summary>
    public async Task<(TimeSpan Decide, TimeSpan Commit)> CommitRecordsAsync(DateTimeOffset now, IReadOnlyList<byte[]> records)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = new CommitPlan();
        _decider.ApplyTimers(now, plan);
        foreach (var record in records)
        {
            if (!NotificationParser.TryParse(record, out var fields, out var failure))
            {
                throw new InvalidOperationException($"a generated notification does not parse: {failure}");
            }

            _decider.Apply(record, in fields, now, false, plan);
        }

        // No outbound channel, as in the side-by-side.
        plan.Seal();
        var decided = clock.Elapsed;
        Notifications += records.Count;
        var result = await store.CommitAsync(plan, default);
        if (!result.IsCommitted)
        {
            throw new InvalidOperationException("a generated batch was refused by the store");
        }

        return (decided, clock.Elapsed - decided);
    }

    /// <summary>A service notification of the estate opened by <see cref="OpenEstateAsync"/>, as wire bytes.</summary>
    public static byte[] EstateRecord(NotificationType type, int customer, int host, int service, AlertState state, long t) =>
        NotificationWriter.ToUtf8(Service(type, $"c{customer:D2}-host{host:D4}", $"Service {service}", state, t, $"customer{customer:D2}"));

    private async Task CommitAsync(DateTimeOffset now, List<Notification> notifications)
    {
        var plan = new CommitPlan();
        _decider.ApplyTimers(now, plan);
        foreach (var n in notifications)
        {
            var record = NotificationWriter.ToUtf8(n);
            if (!NotificationParser.TryParse(record, out var fields, out var failure))
            {
                throw new InvalidOperationException($"a generated notification does not parse: {failure}");
            }

            _decider.Apply(record, in fields, now, false, plan);
        }

        // Every incident event to one outbound channel, as a service with a webhook queues them.
        plan.Route(_ => Channels, now, TimeSpan.Zero);
        plan.Seal();
        Notifications += notifications.Count;
        var result = await store.CommitAsync(plan, default);
        if (!result.IsCommitted)
        {
            throw new InvalidOperationException("a generated batch was refused by the store");
        }
    }

    private static Notification Service(NotificationType type, string host, string service, AlertState state, long t, string customer) => new()
    {
        EventId = Guid.CreateVersion7(),
        Instance = "nagios-a",
        Type = type,
        TimeT = t,
        Host = host,
        HostState = AlertState.Up,
        Service = service,
        ServiceState = state,
        ServiceStateType = "HARD",
        ServiceOutput = state == AlertState.Ok ? "DISK OK - free space: / 20433 MB (47% inode=91%)" : Output,
        NotificationNumber = 1,
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = customer },
    };

    private static Notification Host(NotificationType type, string host, AlertState state, long t, string customer) => new()
    {
        EventId = Guid.CreateVersion7(),
        Instance = "nagios-a",
        Type = type,
        TimeT = t,
        Host = host,
        HostState = state,
        HostStateType = "HARD",
        HostOutput = state == AlertState.Up ? "PING OK - Packet loss = 0%, RTA = 0.41 ms" : "PING CRITICAL - Packet loss = 100%",
        NotificationNumber = 1,
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = customer },
    };
}
