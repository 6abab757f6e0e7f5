using System.Globalization;

namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>
/// The estate both systems are fed: customers × hosts × 5 services, one identity each, numbered the way the
/// embedded load test numbers them, with a plugin output of about 200 bytes.
/// </summary>
internal sealed class Identities
{
    public Identities(int customers, int hostsPerCustomer)
    {
        Customers = customers;
        HostsPerCustomer = hostsPerCustomer;
        Count = customers * hostsPerCustomer * TrafficModel.Services.Length;
        var byName = new Dictionary<(string, string), int>(Count);
        for (var i = 0; i < Count; i++)
        {
            byName[(Host(i), Service(i))] = i;
        }

        ByName = byName;
    }

    public int Customers { get; }

    public int HostsPerCustomer { get; }

    public int Count { get; }

    /// <summary>An identity's number from its host and service name.</summary>
    public IReadOnlyDictionary<(string Host, string Service), int> ByName { get; }

    public int Customer(int identity) => identity / TrafficModel.Services.Length / HostsPerCustomer;

    public string Host(int identity)
    {
        var host = identity / TrafficModel.Services.Length;
        return string.Create(CultureInfo.InvariantCulture, $"c{host / HostsPerCustomer:D2}-srv{host % HostsPerCustomer:D3}");
    }

    public string Service(int identity) => TrafficModel.Services[identity % TrafficModel.Services.Length];

    public string Address(int identity)
    {
        var host = identity / TrafficModel.Services.Length % HostsPerCustomer;
        return string.Create(CultureInfo.InvariantCulture, $"10.{Customer(identity)}.{host / 256}.{host % 256}");
    }

    /// <summary>About 200 bytes, like a real check's first line with its performance data.</summary>
    public string ProblemOutput(int identity) =>
        $"CRITICAL - Socket timeout after 10 seconds connecting to {Address(identity)}:443 ({Service(identity)}) | time=10.002s;4.000;8.000;0.000;10.000 size=0B;;;0 retries=3;;;0;5";

    public string RecoveryOutput(int identity) =>
        $"OK - HTTP/1.1 200 OK - 5123 bytes in 0.042 second response time from {Address(identity)}:443 ({Service(identity)}) | time=0.042s;4.000;8.000;0.000;10.000 size=5123B;;;0";
}
