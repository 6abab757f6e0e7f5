using System.Net;
using System.Net.Http.Headers;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>One JSON POST to a receiver, its answer turned into sent, retry or give up.</summary>
internal static class HttpDelivery
{
    public static async Task PostAsync(HttpClient http, string url, byte[] body, Action<HttpRequestMessage> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        headers(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new DeliveryFailedException($"{Redacted(url)} could not be reached: {ex.Message}", permanent: false, ex);
        }

        using (response)
        {
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var to = response.Headers.Location is { } location ? $" to {Redacted(new Uri(new Uri(url), location).ToString())}" : "";
                throw new DeliveryFailedException($"{Redacted(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}{to}: deliveries are not "
                    + "redirected (the message would arrive as a GET without its body); set the channel's Url to where the receiver is now", permanent: false);
            }

            if (!response.IsSuccessStatusCode)
            {
                // A receiver that says the message itself is wrong will say so again: give up at once (kept as dead).
                var permanent = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity;
                throw new DeliveryFailedException($"{Redacted(url)} answered {(int)response.StatusCode} {response.ReasonPhrase}", permanent);
            }
        }
    }

    /// <summary>
    /// The URL's scheme and host only: receivers carry their secret in the query (a Teams workflow's <c>sig</c>, a
    /// <c>?token=</c>) or in the path itself (a Teams incoming webhook's ids), and neither may reach a log, the API or
    /// the board. The channel's name says which receiver it is.
    /// </summary>
    public static string Redacted(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u)
            ? u.GetLeftPart(UriPartial.Authority) + (u.PathAndQuery is "/" or "" ? "" : "/…")
            : "(invalid URL)";
}
