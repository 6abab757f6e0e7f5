using System.Buffers.Text;
using System.Globalization;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.LoadGenerator;

/// <summary>
/// A managed-services estate: customers × hosts × services, each a firing problem once primed. Records are made
/// once per identity; each send only writes a fresh UUIDv7 into a copy, so the generator stays cheap on a shared CPU.
/// </summary>
internal sealed class TrafficModel
{
    internal static readonly string[] Services = ["HTTP", "Disk /var", "Load", "SSH", "PING"];
    private readonly byte[][] _problems;
    private readonly byte[][] _changes;
    private readonly int[] _idOffsets;
    private readonly int[] _changeIdOffsets;

    public TrafficModel(int customers, int hostsPerCustomer)
    {
        var count = customers * hostsPerCustomer * Services.Length;
        _problems = new byte[count][];
        _changes = new byte[count][];
        _idOffsets = new int[count];
        _changeIdOffsets = new int[count];
        var i = 0;
        for (var c = 0; c < customers; c++)
        {
            for (var h = 0; h < hostsPerCustomer; h++)
            {
                foreach (var service in Services)
                {
                    _problems[i] = NotificationWriter.ToUtf8(Notification(c, h, service, AlertState.Critical, "CRITICAL - Socket timeout after 10 seconds"));
                    _changes[i] = NotificationWriter.ToUtf8(Notification(c, h, service, AlertState.Warning, "WARNING - Response time 4.2 s"));
                    _idOffsets[i] = IdOffset(_problems[i]);
                    _changeIdOffsets[i] = IdOffset(_changes[i]);
                    i++;
                }
            }
        }
    }

    public int Identities => _problems.Length;

    /// <summary>Writes identity <paramref name="index"/>'s problem (or its state change) with a new event id at <paramref name="at"/>.</summary>
    public int Write(byte[] body, int at, int index, bool change)
    {
        var template = change ? _changes[index] : _problems[index];
        var offset = change ? _changeIdOffsets[index] : _idOffsets[index];
        template.CopyTo(body, at);
        Utf8Formatter.TryFormat(Guid.CreateVersion7(), body.AsSpan(at + offset, 36), out _);
        return at + template.Length;
    }

    public int MaxRecordLength => _problems.Concat(_changes).Max(r => r.Length);

    private static int IdOffset(byte[] record) => record.AsSpan().IndexOf("\"id\":\""u8) + 6;

    /// <summary>One identity's service notification (shared with the Kafka load generator, which links this file).</summary>
    internal static Notification Notification(int customer, int host, string service, AlertState state, string output) => new()
    {
        EventId = Guid.CreateVersion7(),
        Instance = "nagios-prod-" + (customer % 4),
        Type = NotificationType.Problem,
        TimeT = 1_795_000_000,
        Host = string.Create(CultureInfo.InvariantCulture, $"c{customer:D2}-srv{host:D3}"),
        HostAlias = string.Create(CultureInfo.InvariantCulture, $"Customer {customer} server {host}"),
        HostAddress = string.Create(CultureInfo.InvariantCulture, $"10.{customer}.{host / 256}.{host % 256}"),
        HostState = AlertState.Up,
        HostStateType = "HARD",
        Service = service,
        ServiceState = state,
        ServiceStateType = "HARD",
        ServiceAttempt = 3,
        ServiceOutput = output,
        NotificationNumber = 1,
        HostGroups = "linux-servers,customer-" + customer,
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "customer-" + customer },
    };
}
