using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// The message key: instance and host, so all of one host's notifications (its own and its services') land in one
/// partition, in order, and are decided by one consumer: host-down correlation never crosses partitions.
/// </summary>
public static class PartitionKey
{
    public static byte[] Of(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        var instance = f.Instance.Of(record);
        var host = f.Host.Of(record);
        var key = new byte[instance.Length + 1 + host.Length];
        instance.CopyTo(key);
        key[instance.Length] = 0x1F;
        host.CopyTo(key.AsSpan(instance.Length + 1));
        return key;
    }
}
