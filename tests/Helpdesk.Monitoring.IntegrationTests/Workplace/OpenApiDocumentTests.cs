using System.Text.Json;
using Helpdesk.Monitoring.Hosting;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>
/// The OpenAPI document the service serves describes every API endpoint the service maps (and nothing else), each with
/// a summary and its answers, so a new endpoint cannot ship undescribed.
/// </summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_api_endpoint_is_in_the_served_document_with_a_summary_and_its_answers()
    {
        var app = HelpdeskHost.Build(["--Helpdesk:DataDirectory", _dir.Path], out var errors);
        Assert.True(app is not null, string.Join("\n", errors));
        await using (app)
        {
            var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
                .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
                .Where(p => p.StartsWith("/api/", StringComparison.Ordinal))
                .Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.Contains("/api/v1/incidents/{number}/assign", mapped);

            await using var service = await ServiceProcess.StartAsync(Directory.CreateDirectory(_dir.Combine("service")).FullName);
            using var document = JsonDocument.Parse(await service.Http.GetStringAsync("/openapi/v1.json"));
            var root = document.RootElement;
            Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
            var paths = root.GetProperty("paths").EnumerateObject().ToList();
            Assert.Equal(mapped, paths.Select(p => p.Name).Where(p => p.StartsWith("/api/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

            foreach (var path in paths)
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "delete"))
                {
                    var what = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                    Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0, $"{what} has no summary");
                    var answers = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                    Assert.True(answers.Any(a => a.StartsWith('2')), $"{what} names no success answer");
                    if (path.Name.StartsWith("/api/v1/incidents/{number}/", StringComparison.Ordinal))
                    {
                        Assert.True(operation.Value.TryGetProperty("requestBody", out _), $"{what} has no request body");
                        Assert.Subset(answers.ToHashSet(), new HashSet<string> { "200", "400", "401", "403", "404", "409" });
                    }
                }
            }
        }
    }
}
