using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>Where an incident is, as the staff's messages name it.</summary>
internal static class IncidentPlace
{
    /// <summary>"host / service", the host alone, or the service alone: a storm's incident has no host.</summary>
    public static string Of(OutboundIncident i) => (i.Host, i.Service) switch
    {
        ({ Length: > 0 } host, { Length: > 0 } service) => $"{host} / {service}",
        ({ Length: > 0 } host, _) => host,
        (_, var service) => service,
    };
}
