using System.Text.Json;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// POST /api/v1/incidents/{number}/acknowledge and /resolve: an agent acknowledges or resolves an incident (resolving by
/// hand is how incidents under the "manual" resolve policy end). Body: {"by": "alice", "comment": "..."}. An
/// Idempotency-Key header (a UUID) makes a retried request safe; without one, every request is a new action.
/// </summary>
public static class AgentEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxByLength = 200;
    private const int MaxCommentLength = 4000;

    public static void MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/incidents/{number}/acknowledge", (HttpContext http, string number, [AsParameters] Dependencies d, CancellationToken ct) =>
            ActAsync(http, number, AgentActionKind.Acknowledge, d, ct));
        app.MapPost("/api/v1/incidents/{number}/resolve", (HttpContext http, string number, [AsParameters] Dependencies d, CancellationToken ct) =>
            ActAsync(http, number, AgentActionKind.Resolve, d, ct));
    }

    /// <summary>What the endpoints need, resolved from the container as one parameter.</summary>
    public sealed record Dependencies(AgentKeys Keys, HttpIngest Ingest, PipelineReadiness Readiness, IIncidentQueries Queries, IOptions<HelpdeskOptions> Options, TimeProvider Time);

    private static async Task<IResult> ActAsync(HttpContext http, string number, AgentActionKind kind, Dependencies d, CancellationToken cancellationToken)
    {
        if (!d.Keys.Allows(http.Request))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: 401, title: "Unauthorized",
                detail: d.Keys.Configured ? "send an agent key as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'" : "agent actions are disabled: no agent key is configured (Helpdesk:Api:AgentKey)");
        }

        if (!IncidentNumber.TryParse(number, out var id))
        {
            return Results.Problem(statusCode: 400, title: "Bad incident number", detail: $"'{number}' is not an incident number such as INC-000042");
        }

        var (request, error) = await ReadAsync(http, cancellationToken);
        if (request is null)
        {
            return Results.Problem(statusCode: 400, title: "Bad request", detail: error);
        }

        var actionId = Guid.CreateVersion7();
        if (http.Request.Headers.TryGetValue("Idempotency-Key", out var key) && !Guid.TryParse(key.ToString(), out actionId))
        {
            return Results.Problem(statusCode: 400, title: "Bad Idempotency-Key", detail: "the Idempotency-Key header must be a UUID");
        }

        if (!d.Readiness.IsReady)
        {
            http.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: 503, title: "Not ready", detail: "the service is still rebuilding its state from the store");
        }

        if (await d.Queries.GetAsync(id, cancellationToken) is null)
        {
            return Results.Problem(statusCode: 404, title: "Not found", detail: $"no incident {IncidentNumber.Format(id)}");
        }

        if (!d.Ingest.TryReserve(1))
        {
            http.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: 503, title: "Busy", detail: "too many records are waiting for the store; retry shortly");
        }

        var receipt = new ActionReceipt(d.Ingest);
        d.Ingest.Push(new InboundNotification(new AgentAction(actionId, id, kind, request.By, request.Comment ?? ""), receipt));
        ApplyOutcome outcome;
        try
        {
            outcome = await receipt.Done.WaitAsync(d.Options.Value.Api.CommitTimeout, d.Time, cancellationToken);
        }
        catch (TimeoutException)
        {
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: 503, title: "Not committed yet",
                detail: "the action was not committed in time; it stays queued, and sending it again with the same Idempotency-Key is safe");
        }

        var incident = (await d.Queries.GetAsync(id, cancellationToken))!.Incident;
        return outcome == ApplyOutcome.Ignored
            ? Results.Problem(statusCode: 409, title: "Not open", detail: $"{incident.Number} is {IncidentNames.Of(incident.Status)}: only open or acknowledged incidents can be {(kind == AgentActionKind.Resolve ? "resolved" : "acknowledged")}")
            : Results.Ok(new AgentActionResultJson(IncidentNames.Of(outcome), actionId, IncidentJson.From(incident)));
    }

    private static async Task<(AgentActionJson? Request, string Error)> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, $"the body must be at most {MaxBodyBytes} bytes");
        }

        AgentActionJson? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<AgentActionJson>(http.Request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, $"the body must be JSON like {{\"by\": \"alice\", \"comment\": \"...\"}}: {ex.Message}");
        }

        if (request is null || string.IsNullOrWhiteSpace(request.By) || request.By.Length > MaxByLength)
        {
            return (null, $"\"by\" (who acts) is required, at most {MaxByLength} characters");
        }

        return request.Comment is { Length: > MaxCommentLength }
            ? (null, $"\"comment\" must be at most {MaxCommentLength} characters")
            : (request, "");
    }
}

/// <summary>The body of an agent action.</summary>
public sealed record AgentActionJson(string By, string? Comment);

/// <summary>What an agent action did: resolved, acknowledged, repeated (already so) or redelivered (same key again).</summary>
public sealed record AgentActionResultJson(string Outcome, Guid ActionId, IncidentJson Incident);
