using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// The API's OpenAPI document at /openapi/v1.json, made from the mapped endpoints and what they declare they answer,
/// so a route added without its description shows up in the document (and the test that reads it) at once.
/// </summary>
public static class OpenApiDocument
{
    public const string Path = "/openapi/v1.json";

    public static IServiceCollection AddOpenApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Helpdesk.Monitoring";
            document.Info.Description = "Nagios notifications in, helpdesk incidents out: ingest, the incident queue, agent actions, sign-in and the live event stream.";
            return Task.CompletedTask;
        }));

    public static void MapOpenApiDocument(this IEndpointRouteBuilder app) => app.MapOpenApi(Path);
}
