using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// A generic webhook: POSTs one JSON document per event with <c>Idempotency-Key: EVENT_ID</c> (the same on every
/// attempt, so a receiver drops a repeat) and, with a secret, a <see cref="WebhookSignature"/>.
/// </summary>
public sealed class WebhookChannel(string name, WebhookOptions options, HttpClient http, TimeProvider time, Func<string, string> incidentUrl) : IOutboundChannel
{
    public string Name => name;

    public Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        var body = OutboundJson.Event(delivery, incidentUrl(delivery.Incident.Number));
        return HttpDelivery.PostAsync(http, options.Url, body, request =>
        {
            request.Headers.Add("Idempotency-Key", delivery.Event.Id.ToString());
            if (options.Secret.Length > 0)
            {
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(options.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
            }
        }, cancellationToken);
    }

    public Task SendHeldBackAsync(long waiting, int perMinute, CancellationToken cancellationToken)
    {
        var body = OutboundJson.HeldBack(name, waiting, perMinute, time.GetUtcNow());
        return HttpDelivery.PostAsync(http, options.Url, body, request =>
        {
            if (options.Secret.Length > 0)
            {
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(options.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
            }
        }, cancellationToken);
    }

    /// <summary>The URL without its query: webhook URLs often carry a token there, which must not reach a log.</summary>
    public static string Redacted(string url) => HttpDelivery.Redacted(url);
}
