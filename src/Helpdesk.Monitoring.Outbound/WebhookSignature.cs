using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// The <c>Helpdesk-Signature</c> header, the way Stripe signs webhooks: <c>t=UNIX_SECONDS,v1=HEX</c>, where HEX is the
/// HMAC-SHA256, keyed with the channel's secret, of <c>UNIX_SECONDS + "." + body</c>. A receiver recomputes it over the
/// raw body, compares in constant time, and refuses a timestamp too far from its own clock (a replay).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Helpdesk-Signature";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>Whether <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> within <paramref name="tolerance"/> of now.</summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        string? t = null;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                var (key, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
                if (key == "t")
                {
                    t = value;
                }
                else if (key == "v1")
                {
                    v1 = value;
                }
            }
        }

        if (t is null || v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, t, body));
    }

    private static byte[] Mac(string secret, string t, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.ASCII.GetBytes(t + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
