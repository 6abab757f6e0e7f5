using System.Net;
using System.Net.Http.Headers;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// A generic webhook: POSTs one JSON document per event with <c>Idempotency-Key: EVENT_ID</c> (the same on every
/// attempt, so a receiver drops a repeat) and, with a secret, a <see cref="WebhookSignature"/>.
/// </summary>
public sealed class WebhookChannel(string name, WebhookOptions options, HttpClient http, TimeProvider time, Func<string, string> incidentUrl) : IOutboundChannel
{
    public string Name => name;

    public async Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        var body = OutboundJson.Event(delivery, incidentUrl(delivery.Incident.Number));
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("Idempotency-Key", delivery.Event.Id.ToString());
        if (options.Secret.Length > 0)
        {
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(options.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new DeliveryFailedException($"the webhook {Redacted(options.Url)} could not be reached: {ex.Message}", permanent: false, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                // A receiver that says the message itself is wrong will say so again: give up at once (kept as dead).
                var permanent = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity;
                throw new DeliveryFailedException(
                    $"the webhook {Redacted(options.Url)} answered {(int)response.StatusCode} {response.ReasonPhrase}", permanent);
            }
        }
    }

    /// <summary>The URL without its query: webhook URLs often carry a token there, which must not reach a log.</summary>
    public static string Redacted(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Path) : "(invalid URL)";
}
