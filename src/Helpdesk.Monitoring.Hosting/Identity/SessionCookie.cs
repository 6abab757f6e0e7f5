using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>
/// A board sign-in, kept by the browser as a signed cookie: who, until when, and a stamp of the user's credentials, so
/// a changed password, a revoked token or a changed role ends it. Nothing is kept on the server, so every instance
/// that shares the signing key accepts it.
/// </summary>
public sealed class SessionCookie(SigningKey key, TimeSpan lifetime)
{
    public const string Name = "helpdesk_session";
    private readonly byte[] _key = key.For("session");

    public TimeSpan Lifetime => lifetime;

    public string Issue(User user, DateTimeOffset now)
    {
        var body = $"v1.{user.Name}.{(now + lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{Credentials.Stamp(user)}";
        return body + "." + Mac(body);
    }

    /// <summary>The signed-in user, or null for anything forged, expired, or made before the user's credentials changed.</summary>
    public User? Verify(string value, UserDirectory users, DateTimeOffset now)
    {
        // v1.NAME.EXPIRES.STAMP.MAC, read from both ends: a user name may hold dots itself.
        var parts = value.Split('.');
        if (parts.Length < 5 || parts[0] != "v1" || value.Length > 512)
        {
            return null;
        }

        var (name, expires, stamp, mac) = (string.Join('.', parts[1..^3]), parts[^3], parts[^2], parts[^1]);

        var body = value[..value.LastIndexOf('.')];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(body)), Encoding.ASCII.GetBytes(mac))
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var until) || until < now.ToUnixTimeSeconds())
        {
            return null;
        }

        return users.Find(name) is { } user && Credentials.Stamp(user) == stamp ? user : null;
    }

    private string Mac(string body) => Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(body)));
}
