using System.Globalization;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// GET /api/v1/deliveries: each outbound channel's backlog, and the newest deliveries in a state (dead by default,
/// with the receiver's last answer): what an operator looks at when a channel alert fires.
/// </summary>
public static class DeliveryEndpoints
{
    private static readonly string[] States = ["pending", "sent", "dead"];
    private static readonly string[] Parameters = ["state", "channel", "limit"];
    private const int MaxLimit = 500;

    public static void MapDeliveryEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/api/v1/deliveries", ListAsync)
        .WithSummary("Each outbound channel's backlog and its newest deliveries in a state").Produces<DeliveriesJson>().ProducesValidationProblem().ProducesProblem(401);

    private static async Task<IResult> ListAsync(HttpContext http, Access access, IDeliveryQueue queue, IOptions<HelpdeskOptions> options, CancellationToken cancellationToken)
    {
        if (access.CheckRead(http) is { } refusal)
        {
            return refusal;
        }

        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        QueryParameters.RefuseUnknown(query, Parameters, errors);
        var state = query["state"].ToString() is { Length: > 0 } s ? s : "dead";
        if (!States.Contains(state))
        {
            errors["state"] = ["must be pending, sent or dead"];
        }

        var limit = 100;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && !(int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is > 0 and <= MaxLimit))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxLimit}"];
        }

        var backlog = await queue.BacklogAsync(cancellationToken);
        var channel = query["channel"].ToString() is { Length: > 0 } c ? c : null;

        // A channel neither configured nor holding deliveries is a slip: its empty list would read as "nothing dead".
        var channels = options.Value.DeliveryChannels.Union(backlog.Select(b => b.Channel), StringComparer.Ordinal).ToList();
        if (channel is not null && !channels.Contains(channel, StringComparer.Ordinal))
        {
            errors["channel"] = [NoSuchChannel(channel, channels)];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid query");
        }

        var items = await queue.ListAsync(state, channel, limit, cancellationToken);
        return Results.Ok(new DeliveriesJson(
            [.. backlog.Select(b => new BacklogJson(b.Channel, b.Pending, b.Dead))],
            [.. items.Select(d => new DeliveryJson(d.Channel, d.EventId, d.Number, IncidentEventKindNames.Of(d.Kind), d.State, d.Attempts, d.QueuedAt, d.NextAt, d.DoneAt, d.LastError))]));
    }

    /// <summary>What a request naming a channel nobody configured is told, with the channels there are.</summary>
    internal static string NoSuchChannel(string channel, IReadOnlyCollection<string> channels) => channels.Count == 0
        ? $"no outbound channel named '{channel}' is configured; none is (Helpdesk:Outbound)"
        : $"no outbound channel named '{channel}' is configured; the channels are {string.Join(", ", channels)}";

    public sealed record DeliveriesJson(IReadOnlyList<BacklogJson> Backlog, IReadOnlyList<DeliveryJson> Items);

    public sealed record BacklogJson(string Channel, long Pending, long Dead);

    public sealed record DeliveryJson(string Channel, Guid EventId, string Incident, string Event, string State, int Attempts,
        DateTimeOffset QueuedAt, DateTimeOffset NextAt, DateTimeOffset? DoneAt, string LastError);
}
