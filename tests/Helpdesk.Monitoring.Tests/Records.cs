using System.Text;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests;

/// <summary>Builds notifications and their wire bytes for tests.</summary>
internal static class Records
{
    public const long T0 = 1_795_000_000;

    public static Notification Service(NotificationType type, string host = "web01", string service = "HTTP", AlertState state = AlertState.Critical,
        string output = "CRITICAL - connection refused", long timeT = T0, string instance = "nagios-a", Guid? id = null,
        string author = "", string comment = "", string customer = "acme") => new()
    {
        EventId = id ?? Guid.CreateVersion7(),
        Instance = instance,
        Type = type,
        TimeT = timeT,
        Host = host,
        HostState = AlertState.Up,
        Service = service,
        ServiceState = state,
        ServiceStateType = "HARD",
        ServiceOutput = output,
        Author = author,
        Comment = comment,
        NotificationNumber = 1,
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = customer },
    };

    public static Notification Host(NotificationType type, string host = "router01", AlertState state = AlertState.Down,
        string output = "PING CRITICAL - Packet loss = 100%", long timeT = T0, Guid? id = null, string instance = "nagios-a") => new()
    {
        EventId = id ?? Guid.CreateVersion7(),
        Instance = instance,
        Type = type,
        TimeT = timeT,
        Host = host,
        HostState = state,
        HostStateType = "HARD",
        HostOutput = output,
    };

    public static byte[] Bytes(Notification n) => NotificationWriter.ToUtf8(n);

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static NotificationFields Parse(byte[] record)
    {
        Assert.True(NotificationParser.TryParse(record, out var fields, out var failure), failure.ToString());
        return fields;
    }
}
