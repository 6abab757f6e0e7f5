using System.Text;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The identity of what an incident is about, as bytes: instance, host and service joined by the ASCII unit
/// separator (names cannot contain control characters, so two identities never build the same key).
/// </summary>
public static class Fingerprint
{
    private const byte Separator = 0x1F;

    /// <summary>Upper bound of a key's length for names within <see cref="RecordLimits.MaxNameBytes"/>.</summary>
    public const int MaxLength = (3 * RecordLimits.MaxNameBytes) + 2;

    public static byte[] Of(string instance, string host, string service)
    {
        var key = new byte[Encoding.UTF8.GetByteCount(instance) + Encoding.UTF8.GetByteCount(host) + Encoding.UTF8.GetByteCount(service) + 2];
        var n = Encoding.UTF8.GetBytes(instance, key);
        key[n++] = Separator;
        n += Encoding.UTF8.GetBytes(host, key.AsSpan(n));
        key[n++] = Separator;
        Encoding.UTF8.GetBytes(service, key.AsSpan(n));
        return key;
    }

    /// <summary>Writes the key of a parsed record into <paramref name="destination"/>; -1 if a name is escaped.</summary>
    public static int TryWrite(ReadOnlySpan<byte> record, in NotificationFields f, Span<byte> destination)
    {
        if (f.Instance.Escaped || f.Host.Escaped || f.Service.Escaped)
        {
            return -1;
        }

        var instance = f.Instance.Of(record);
        var host = f.Host.Of(record);
        var service = f.Service.Of(record);
        var length = instance.Length + host.Length + service.Length + 2;
        if (length > destination.Length)
        {
            return -1;
        }

        instance.CopyTo(destination);
        var n = instance.Length;
        destination[n++] = Separator;
        host.CopyTo(destination[n..]);
        n += host.Length;
        destination[n++] = Separator;
        service.CopyTo(destination[n..]);
        return length;
    }
}
