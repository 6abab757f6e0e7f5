using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// GET /api/v1/deliveries: each outbound channel's backlog, and the newest deliveries in a state (dead by default,
/// with the receiver's last answer): what an operator looks at when a channel alert fires.
/// </summary>
public static class DeliveryEndpoints
{
    private static readonly string[] States = ["pending", "sent", "dead"];

    public static void MapDeliveryEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/api/v1/deliveries", ListAsync)
        .WithSummary("Each outbound channel's backlog and its newest deliveries in a state").Produces<DeliveriesJson>().ProducesValidationProblem().ProducesProblem(401);

    private static async Task<IResult> ListAsync(HttpContext http, Access access, IDeliveryQueue queue, CancellationToken cancellationToken)
    {
        if (access.CheckRead(http) is { } refusal)
        {
            return refusal;
        }

        var request = http.Request;
        var state = request.Query["state"].ToString() is { Length: > 0 } s ? s : "dead";
        if (!States.Contains(state))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["must be pending, sent or dead"] }, title: "Invalid query");
        }

        var limit = int.TryParse(request.Query["limit"], out var l) && l is > 0 and <= 500 ? l : 100;
        var channel = request.Query["channel"].ToString() is { Length: > 0 } c ? c : null;
        var backlog = await queue.BacklogAsync(cancellationToken);
        var items = await queue.ListAsync(state, channel, limit, cancellationToken);
        return Results.Ok(new DeliveriesJson(
            [.. backlog.Select(b => new BacklogJson(b.Channel, b.Pending, b.Dead))],
            [.. items.Select(d => new DeliveryJson(d.Channel, d.EventId, d.Number, IncidentEventKindNames.Of(d.Kind), d.State, d.Attempts, d.QueuedAt, d.NextAt, d.DoneAt, d.LastError))]));
    }

    public sealed record DeliveriesJson(IReadOnlyList<BacklogJson> Backlog, IReadOnlyList<DeliveryJson> Items);

    public sealed record BacklogJson(string Channel, long Pending, long Dead);

    public sealed record DeliveryJson(string Channel, Guid EventId, string Incident, string Event, string State, int Attempts,
        DateTimeOffset QueuedAt, DateTimeOffset NextAt, DateTimeOffset? DoneAt, string LastError);
}
