using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>API-key check for writes: "Authorization: Bearer KEY" or "X-Api-Key: KEY", compared in constant time.</summary>
public sealed class IngestKeys(IEnumerable<string> keys)
{
    private readonly byte[][] _keys = keys.Select(Encoding.UTF8.GetBytes).ToArray();

    public bool Configured => _keys.Length > 0;

    public bool Allows(HttpRequest request)
    {
        var presented = Presented(request);
        if (presented is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(presented);
        var allowed = false;
        foreach (var key in _keys)
        {
            allowed |= CryptographicOperations.FixedTimeEquals(bytes, key);
        }

        return allowed;
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var apiKey = request.Headers["X-Api-Key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }
}
