using System.Net;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>Whether the service listens on loopback alone: then only this machine's users can reach it.</summary>
public static class ListenAddresses
{
    /// <summary>True when every URL (";"-separated, as ASP.NET takes them) names a loopback address or localhost.</summary>
    public static bool LoopbackOnly(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopback);

    private static bool IsLoopback(string url)
    {
        // "http://*:8080" and "http://+:8080" are not valid URIs but are valid listen addresses: every interface.
        if (!Uri.TryCreate(url.Replace("://*", "://any-host", StringComparison.Ordinal).Replace("://+", "://any-host", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
