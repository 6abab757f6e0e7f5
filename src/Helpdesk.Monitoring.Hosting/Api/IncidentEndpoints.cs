using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>GET /api/v1/incidents (filtered, newest first or by SLA due, paged) and GET /api/v1/incidents/{number}.</summary>
public static class IncidentEndpoints
{
    private static readonly string[] ListParameters =
        ["status", "priority", "team", "tier", "customer", "host", "assignedTo", "sort", "archived", "page", "pageSize"];

    public static void MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/incidents", ListAsync).WithSummary("The incident queue: filtered, newest first or by SLA due, paged; archived=true searches the archive by customer or host")
            .Produces<IncidentPageJson>().ProducesValidationProblem().ProducesProblem(401);
        app.MapGet("/api/v1/incidents/{number}", GetAsync).WithSummary("One incident with its members, timeline, events and the customer's history")
            .Produces<IncidentDetailJson>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
    }

    private static async Task<IResult> ListAsync(HttpContext http, Access access, IIncidentQueries queries, CancellationToken cancellationToken)
    {
        if (access.CheckRead(http) is { } refusal)
        {
            return refusal;
        }

        var q = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        QueryParameters.RefuseUnknown(q, ListParameters, errors);
        var statuses = Values(q["status"], "status", "open, acknowledged, resolved or closed (several: status=open,acknowledged)", errors,
            static (string t, out IncidentStatus s) => IncidentNames.TryParseStatus(t, out s));
        var priorities = Values(q["priority"], "priority", "P1, P2, P3, P4 or P5 (several: priority=P1,P2)", errors,
            static (string t, out Priority p) => IncidentNames.TryParsePriority(t, out p));
        var order = q["sort"].ToString() switch
        {
            "" or "newest" => IncidentOrder.Newest,
            "due" => IncidentOrder.Due,
            _ => (IncidentOrder?)null,
        };
        if (order is null)
        {
            errors["sort"] = ["must be newest (newest problem first) or due (nearest SLA deadline first)"];
        }

        // Tiers are L1 to L3 everywhere (rules, people): another value matches nothing, and an empty page would hide the typo.
        if (q["tier"].ToString() is { Length: > 0 } tier && tier is not ("L1" or "L2" or "L3"))
        {
            errors["tier"] = [$"'{tier}' is not allowed: must be L1, L2 or L3"];
        }

        var archived = q["archived"].ToString() switch
        {
            "" or "false" => false,
            "true" => true,
            _ => (bool?)null,
        };
        if (archived is null)
        {
            errors["archived"] = ["must be true (search the archive of closed incidents past the retention) or false"];
        }
        else if (archived.Value && string.IsNullOrEmpty(q["customer"].ToString()) && string.IsNullOrEmpty(q["host"].ToString()))
        {
            errors["archived"] = [IncidentQuery.ArchiveNeedsFilter];
        }
        else if (archived.Value && (statuses.Count > 0 || priorities.Count > 0 || q["team"].Count > 0 || q["tier"].Count > 0 || q["assignedTo"].Count > 0 || order == IncidentOrder.Due))
        {
            errors["archived"] = ["the archive is searched by customer and host only, newest first: leave out status, priority, team, tier, assignedTo and sort=due"];
        }

        var page = IntParameter(q["page"].ToString(), 1, 1, int.MaxValue / IncidentQuery.MaxPageSize, "page", errors);
        var pageSize = IntParameter(q["pageSize"].ToString(), 50, 1, IncidentQuery.MaxPageSize, "pageSize", errors);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid query");
        }

        var result = await queries.ListAsync(new IncidentQuery
        {
            Statuses = statuses,
            Priorities = priorities,
            Customer = NullIfEmpty(q["customer"].ToString()),
            Host = NullIfEmpty(q["host"].ToString()),
            Team = NullIfEmpty(q["team"].ToString()),
            Tier = NullIfEmpty(q["tier"].ToString()),
            AssignedTo = NullIfEmpty(q["assignedTo"].ToString()),
            Order = order!.Value,
            Archived = archived!.Value,
            Page = page,
            PageSize = pageSize,
        }, cancellationToken);
        var items = result.Items.Select((r, i) => IncidentJson.From(r) with { MemberCount = i < result.MemberCounts.Count ? result.MemberCounts[i] : 0 }).ToList();
        return Results.Ok(new IncidentPageJson(items, result.Page, result.PageSize, result.Total));
    }

    private delegate bool Parser<T>(string text, out T value);

    /// <summary>A filter that takes several values, comma-separated or repeated (status=open,acknowledged or status=open&amp;status=acknowledged).</summary>
    private static List<T> Values<T>(Microsoft.Extensions.Primitives.StringValues raw, string name, string allowed, Dictionary<string, string[]> errors, Parser<T> parse)
    {
        var values = new List<T>();
        foreach (var word in raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!parse(word, out var value))
            {
                errors[name] = [$"'{word}' is not allowed: each value must be {allowed}"];
                return [];
            }

            if (!values.Contains(value))
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>How many earlier incidents of the same host and customer a detail shows.</summary>
    private const int HistoryLength = 20;

    private static async Task<IResult> GetAsync(HttpContext http, string number, Access access, IIncidentQueries queries, ISatisfactionRecords ratings,
        CancellationToken cancellationToken)
    {
        if (access.CheckRead(http) is { } refusal)
        {
            return refusal;
        }

        if (!IncidentNumber.TryParse(number, out var id))
        {
            return Results.Problem(statusCode: 400, title: "Invalid incident number", detail: $"'{number}' is not an incident number like INC-000042");
        }

        var detail = await queries.GetAsync(id, cancellationToken);
        if (detail is null)
        {
            return Results.Problem(statusCode: 404, title: "Not found", detail: $"there is no incident {IncidentNumber.Format(id)}");
        }

        var history = await queries.HistoryAsync(detail.Incident, HistoryLength, cancellationToken);
        var rating = await ratings.RatingAsync(id, cancellationToken);
        return Results.Ok(IncidentDetailJson.From(detail, history) with { Satisfaction = rating is null ? null : new SatisfactionJson(rating.Score, rating.Comment, rating.At) });
    }

    private static int IntParameter(string text, int fallback, int min, int max, string name, Dictionary<string, string[]> errors)
    {
        if (text.Length == 0)
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"must be a whole number from {min} to {max}"];
        return fallback;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
