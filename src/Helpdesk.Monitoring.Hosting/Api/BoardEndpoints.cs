using System.Reflection;
using Helpdesk.Monitoring.Incidents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// The board: a page, a script and a style sheet built into the service (no separate web server, no build step),
/// served at / and /board/, with a link of its own for each incident (/incidents/INC-000042, what the outbound
/// messages' <c>IncidentUrl</c> points at). A strict content security policy: the page runs only its own script and
/// talks only to this service, so no text from a notification can become code.
/// </summary>
public static class BoardEndpoints
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = Load();

    public static void MapBoard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet("/board/{file}", (HttpContext http, string file) => Serve(http, file)).ExcludeFromDescription();
        app.MapGet("/incidents/{number}", Open).ExcludeFromDescription();
    }

    /// <summary>
    /// An incident's page on the board: the board routes within its one page (#/incident/…), which a mail or chat
    /// link could name too, but a path is what people expect to paste and what survives every mail client. Only a
    /// well-formed number is sent on, so the redirect cannot be pointed anywhere else.
    /// </summary>
    private static IResult Open(string number) =>
        IncidentNumber.TryParse(number, out var id)
            ? Results.Redirect("/#/incident/" + IncidentNumber.Format(id))
            : Results.Text("That is not an incident number: incident numbers look like INC-000042.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);

    private static IResult Serve(HttpContext http, string file)
    {
        if (!Files.TryGetValue(file, out var entry))
        {
            return Results.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Bytes(entry.Content, entry.Type);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("board/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var file = name["board/".Length..];
            files[file] = (memory.ToArray(), Path.GetExtension(file) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "application/octet-stream",
            });
        }

        return files;
    }
}
