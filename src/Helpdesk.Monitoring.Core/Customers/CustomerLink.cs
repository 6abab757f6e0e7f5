using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Helpdesk.Monitoring.Customers;

/// <summary>What a link sent to a customer lets them do.</summary>
public enum CustomerLinkPurpose : byte
{
    /// <summary>Confirm that a resolved incident is fixed, or say it is still broken (which reopens it).</summary>
    Verify = 1,

    /// <summary>Answer the satisfaction question after closure.</summary>
    Rate,
}

/// <summary>A link's content: the incident, what it is for, whom it was sent to, and until when it works.</summary>
public sealed record CustomerLink(long IncidentId, CustomerLinkPurpose Purpose, string Contact, DateTimeOffset Expires);

/// <summary>
/// Signs and checks the links in customer mail. The link is the customer's whole credential for one incident and one
/// purpose, so it carries an HMAC over everything it says and an expiry; nothing about it is kept on the server.
/// </summary>
public sealed class CustomerLinks(byte[] key)
{
    private const int MaxTokenLength = 1024;

    public string Sign(CustomerLink link)
    {
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', "v1", link.IncidentId.ToString(CultureInfo.InvariantCulture),
            ((int)link.Purpose).ToString(CultureInfo.InvariantCulture), link.Expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), link.Contact)));
        return body + "." + Mac(body);
    }

    /// <summary>The link, or null when it was not made here, was changed, or has expired.</summary>
    public CustomerLink? Verify(string token, DateTimeOffset now)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length > MaxTokenLength || dot <= 0
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(token[..dot])), Encoding.ASCII.GetBytes(token[(dot + 1)..])))
        {
            return null;
        }

        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, dot))).Split('\n');
        }
        catch (FormatException)
        {
            return null;
        }

        if (parts is not ["v1", var id, var purpose, var expires, var contact]
            || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var incident)
            || !int.TryParse(purpose, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 2
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var until) || until < now.ToUnixTimeSeconds())
        {
            return null;
        }

        return new CustomerLink(incident, (CustomerLinkPurpose)p, contact, DateTimeOffset.FromUnixTimeSeconds(until));
    }

    private string Mac(string body) => Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)));
}
