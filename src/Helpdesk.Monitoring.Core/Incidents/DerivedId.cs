using System.Security.Cryptography;
using System.Text;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// An id made from what it is about (RFC 9562 version 8: a SHA-256 of the text, with the version and variant bits
/// set): the same decision made again, by a retry, a second click or another read of the same file, has the same id,
/// and the applied-event record makes it count once.
/// </summary>
public static class DerivedId
{
    public static Guid Of(string about)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(about));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
