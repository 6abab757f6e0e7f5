using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// Microsoft Teams: POSTs the event's <see cref="TeamsCard"/> to a Teams workflow ("when a Teams webhook request is
/// received") or incoming-webhook URL. Teams keeps no idempotency key: after a crash between its answer and the mark,
/// the same card may appear twice.
/// </summary>
public sealed class TeamsChannel(string name, TeamsOptions options, HttpClient http, Func<string, string> incidentUrl) : IOutboundChannel
{
    public string Name => name;

    public Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken) =>
        HttpDelivery.PostAsync(http, options.Url, TeamsCard.Message(delivery, incidentUrl(delivery.Incident.Number), delivery.Sla),
            request => request.Headers.Add("Idempotency-Key", delivery.Event.Id.ToString()), cancellationToken);

    public Task SendHeldBackAsync(long waiting, int perMinute, CancellationToken cancellationToken) =>
        HttpDelivery.PostAsync(http, options.Url, TeamsCard.HeldBack(waiting, perMinute), _ => { }, cancellationToken);
}

/// <summary>One Teams channel: the workflow's or incoming webhook's URL (it holds a secret token: keep it in the environment).</summary>
public sealed class TeamsOptions
{
    public string Url { get; set; } = "";
}
