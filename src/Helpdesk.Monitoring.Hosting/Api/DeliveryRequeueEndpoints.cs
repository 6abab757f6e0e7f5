using System.Text.Json;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.People;
using Helpdesk.Monitoring.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// POST /api/v1/deliveries/requeue: after a receiver is mended (a webhook's address, Teams' connector, the mail relay),
/// an admin sends its dead deliveries again: the ones named, or the oldest of the channel. Each gets a new set of
/// attempts and is due at once; the channel's sender on this instance is woken.
/// </summary>
public static class DeliveryRequeueEndpoints
{
    /// <summary>At most this many a request: an outage's worth is re-queued in a few calls, each a short write.</summary>
    public const int MaxPerRequest = 10_000;

    private const int DefaultLimit = 1_000;
    private const int MaxBodyBytes = 1024 * 1024;

    public static void MapDeliveryRequeueEndpoints(this IEndpointRouteBuilder app) => app.MapPost("/api/v1/deliveries/requeue", RequeueAsync)
        .WithSummary("Sends a channel's dead deliveries again: the event ids named, or the oldest up to a limit")
        .Accepts<RequeueRequestJson>("application/json").Produces<RequeueResultJson>()
        .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(413);

    /// <summary>What the endpoint needs, resolved from the container as one parameter.</summary>
    public sealed record Dependencies([FromServices] Access Access, [FromServices] IDeliveryQueue Queue, [FromServices] OutboundService Outbound,
        [FromServices] IOptions<HelpdeskOptions> Options, [FromServices] TimeProvider Time, [FromServices] ILogger<OutboundService> Logger);

    private static async Task<IResult> RequeueAsync(HttpContext http, [AsParameters] Dependencies d, CancellationToken cancellationToken)
    {
        var (caller, refusal) = d.Access.CheckWrite(http);
        if (caller is null)
        {
            return refusal!;
        }

        // A person, not the shared agent key: the log and the delivery say who sent an outage's messages again.
        if (caller.User is not { Role: UserRole.Admin } admin)
        {
            return Results.Problem(statusCode: 403, title: "Not allowed",
                detail: "re-queuing deliveries needs an admin's own sign-in (an admin's API token or board session), so that it is known who sent them again");
        }

        var (request, error, status) = await ReadAsync(http, cancellationToken);
        if (request is null)
        {
            return Results.Problem(statusCode: status, title: status == 413 ? "Payload too large" : "Bad request", detail: error);
        }

        var channels = d.Options.Value.DeliveryChannels;
        if (!channels.Contains(request.Channel, StringComparer.Ordinal))
        {
            return Results.Problem(statusCode: 404, title: "No such channel", detail: DeliveryEndpoints.NoSuchChannel(request.Channel, channels));
        }

        var ids = request.EventIds ?? [];
        var limit = request.Limit ?? DefaultLimit;
        var requeued = await d.Queue.RequeueDeadAsync(request.Channel, ids, limit, d.Time.GetUtcNow(), $"re-queued by {admin.Name}", cancellationToken);
        var stillDead = (await d.Queue.BacklogAsync(cancellationToken)).FirstOrDefault(b => b.Channel == request.Channel)?.Dead ?? 0;
        d.Logger.LogInformation("{User} re-queued {Count} dead deliveries of channel {Channel}; {Dead} are still dead", admin.Name, requeued, request.Channel, stillDead);
        if (requeued > 0)
        {
            d.Outbound.WakeSenders();
        }

        return Results.Ok(new RequeueResultJson(request.Channel, requeued, stillDead));
    }

    private static async Task<(RequeueRequestJson? Request, string Error, int Status)> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, $"the body must be at most {MaxBodyBytes} bytes", 413);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        RequeueRequestJson? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<RequeueRequestJson>(http.Request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, $"the body must be a JSON object such as {{\"channel\": \"teams\"}} or {{\"channel\": \"teams\", \"eventIds\": [\"...\"]}}: {JsonBodies.Explain(ex)}", 400);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, $"the body must be at most {MaxBodyBytes} bytes", 413);
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Channel))
        {
            return (null, "\"channel\" is required: the outbound channel whose dead deliveries to send again", 400);
        }

        if (request.EventIds is { Count: > MaxPerRequest })
        {
            return (null, $"at most {MaxPerRequest} event ids a request", 400);
        }

        if (request.EventIds is { Count: > 0 } && request.Limit is not null)
        {
            return (null, "give either \"eventIds\" or \"limit\", not both: named deliveries are re-queued whatever their number", 400);
        }

        return request.Limit is < 1 or > MaxPerRequest
            ? (null, $"\"limit\" must be between 1 and {MaxPerRequest}", 400)
            : (request, "", 200);
    }

    /// <param name="Channel">The outbound channel, as GET /api/v1/deliveries names it.</param>
    /// <param name="EventIds">The deliveries to send again, by event id; none: the oldest dead ones, up to <paramref name="Limit"/>.</param>
    /// <param name="Limit">How many of the oldest (1,000 unless given; at most 10,000).</param>
    public sealed record RequeueRequestJson(string Channel, IReadOnlyList<Guid>? EventIds = null, int? Limit = null);

    public sealed record RequeueResultJson(string Channel, int Requeued, long StillDead);
}
