using System.Text.Json;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.People;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// What people do to an incident: POST /api/v1/incidents/{number}/ acknowledge, assign, notes, priority, resolve and
/// reopen. Who acts is the signed-in user (token or board session); a tool with the shared agent key says it in "by".
/// An Idempotency-Key header (a UUID) makes a retried request safe; without one, every request is a new action.
/// </summary>
public static class AgentEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxByLength = 200;
    private const int MaxTextLength = 4000;

    public static void MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        Map(app, "acknowledge", AgentActionKind.Acknowledge);
        Map(app, "resolve", AgentActionKind.Resolve);
        Map(app, "assign", AgentActionKind.Assign);
        Map(app, "notes", AgentActionKind.Comment);
        Map(app, "priority", AgentActionKind.Prioritize);
        Map(app, "reopen", AgentActionKind.Reopen);
    }

    private static void Map(IEndpointRouteBuilder app, string verb, AgentActionKind kind) =>
        app.MapPost($"/api/v1/incidents/{{number}}/{verb}", (HttpContext http, string number, [AsParameters] Dependencies d, CancellationToken ct) =>
            ActAsync(http, number, kind, d, ct))
            .WithSummary($"An agent action: {verb}").Accepts<AgentRequestJson>("application/json")
            .Produces<AgentActionResultJson>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(503);

    /// <summary>What the endpoints need, resolved from the container as one parameter (every part said outright: see CustomerEndpoints).</summary>
    public sealed record Dependencies([FromServices] Access Access, [FromServices] HttpIngest Ingest, [FromServices] PipelineReadiness Readiness,
        [FromServices] IIncidentQueries Queries, [FromServices] IOptions<HelpdeskOptions> Options, [FromServices] TimeProvider Time);

    private static async Task<IResult> ActAsync(HttpContext http, string number, AgentActionKind kind, Dependencies d, CancellationToken cancellationToken)
    {
        var (caller, refusal) = d.Access.CheckWrite(http);
        if (caller is null)
        {
            return refusal!;
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

        var (action, problem) = AgentRequests.Make(request, kind, actionId, id, caller, d.Access.Users.Current);
        if (action is null)
        {
            return problem!;
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

        var (committed, queued) = await ActionSubmission.SubmitAsync(d.Ingest, action, d.Options.Value.Api.CommitTimeout, d.Time, cancellationToken);
        if (committed is not { } outcome)
        {
            http.Response.Headers.RetryAfter = queued ? "5" : "1";
            return queued
                ? Results.Problem(statusCode: 503, title: "Not committed yet",
                    detail: "the action was not committed in time; it stays queued, and sending it again with the same Idempotency-Key is safe")
                : Results.Problem(statusCode: 503, title: "Busy", detail: "too many records are waiting for the store; retry shortly");
        }

        var incident = (await d.Queries.GetAsync(id, cancellationToken))!.Incident;
        return outcome == ApplyOutcome.Ignored
            ? Results.Problem(statusCode: 409, title: action.AppliesTo(IncidentStatus.Resolved) ? "Not resolved" : "Not open",
                detail: $"{incident.Number} is {IncidentNames.Of(incident.Status)}: {AgentRequests.WhatAppliesTo(kind)}")
            : Results.Ok(new AgentActionResultJson(IncidentNames.Of(outcome), actionId, IncidentJson.From(incident)));
    }

    private static async Task<(AgentRequestJson? Request, string Error)> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, $"the body must be at most {MaxBodyBytes} bytes");
        }

        AgentRequestJson? request;
        try
        {
            request = http.Request.ContentLength == 0
                ? new AgentRequestJson()
                : await JsonSerializer.DeserializeAsync<AgentRequestJson>(http.Request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, $"the body must be a JSON object such as {{\"comment\": \"...\"}}: {JsonBodies.Explain(ex)}");
        }

        if (request is null)
        {
            return (null, "the body must be a JSON object");
        }

        if (request.By is { Length: > MaxByLength })
        {
            return (null, $"\"by\" must be at most {MaxByLength} characters");
        }

        (string Name, string? Value)[] texts =
        [
            ("by", request.By), ("comment", request.Comment), ("cause", request.Cause), ("fix", request.Fix), ("text", request.Text),
            ("reason", request.Reason), ("to", request.To),
        ];
        if (texts.Any(t => t.Value is { Length: > MaxTextLength }))
        {
            return (null, $"every text must be at most {MaxTextLength} characters");
        }

        foreach (var (name, value) in texts)
        {
            if (PlainText.FirstControl(value) is { } control)
            {
                return (null, $"\"{name}\" holds a control character (U+{(int)control:X4}): send plain text; line breaks and tabs are fine");
            }
        }

        return (request, "");
    }
}

/// <summary>
/// The body of an action on an incident; which fields count depends on the action: "comment" (acknowledge, reopen,
/// assign), "cause" and "fix" (resolve, both required), "to" (assign), "text" and "forCustomer" (notes), "priority"
/// and "reason" (priority). "by" only with the shared agent key: a signed-in user is who acts.
/// </summary>
public sealed record AgentRequestJson(
    string? By = null, string? Comment = null, string? Cause = null, string? Fix = null, string? To = null, string? Text = null,
    bool? ForCustomer = null, string? Priority = null, string? Reason = null);

/// <summary>What an agent action did: resolved, acknowledged, repeated (already so) or redelivered (same key again).</summary>
public sealed record AgentActionResultJson(string Outcome, Guid ActionId, IncidentJson Incident);
