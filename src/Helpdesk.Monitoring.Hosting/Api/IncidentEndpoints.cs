using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>GET /api/v1/incidents (filtered, newest first, paged) and GET /api/v1/incidents/{number}.</summary>
public static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/incidents", ListAsync);
        app.MapGet("/api/v1/incidents/{number}", GetAsync);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IIncidentQueries queries, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var errors = new Dictionary<string, string[]>();
        IncidentStatus? status = null;
        if (q["status"].ToString() is { Length: > 0 } statusText)
        {
            if (Enum.TryParse<IncidentStatus>(statusText, ignoreCase: true, out var parsed) && !int.TryParse(statusText, out _))
            {
                status = parsed;
            }
            else
            {
                errors["status"] = ["must be open, acknowledged, resolved or closed"];
            }
        }

        Priority? priority = null;
        if (q["priority"].ToString() is { Length: > 0 } priorityText)
        {
            if (priorityText.Length == 2 && Enum.TryParse<Priority>(priorityText, ignoreCase: true, out var parsed))
            {
                priority = parsed;
            }
            else
            {
                errors["priority"] = ["must be P1, P2, P3, P4 or P5"];
            }
        }

        var page = IntParameter(q["page"].ToString(), 1, 1, int.MaxValue / IncidentQuery.MaxPageSize, "page", errors);
        var pageSize = IntParameter(q["pageSize"].ToString(), 50, 1, IncidentQuery.MaxPageSize, "pageSize", errors);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid query");
        }

        var result = await queries.ListAsync(new IncidentQuery
        {
            Status = status,
            Priority = priority,
            Customer = NullIfEmpty(q["customer"].ToString()),
            Host = NullIfEmpty(q["host"].ToString()),
            Page = page,
            PageSize = pageSize,
        }, cancellationToken);
        return Results.Ok(new IncidentPageJson(result.Items.Select(IncidentJson.From).ToList(), result.Page, result.PageSize, result.Total));
    }

    /// <summary>How many earlier incidents of the same host and customer a detail shows.</summary>
    private const int HistoryLength = 20;

    private static async Task<IResult> GetAsync(string number, IIncidentQueries queries, CancellationToken cancellationToken)
    {
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
        return Results.Ok(IncidentDetailJson.From(detail, history));
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
