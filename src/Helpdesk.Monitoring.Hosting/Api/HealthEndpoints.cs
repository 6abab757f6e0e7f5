using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>/healthz (the process answers), /readyz (state rebuilt, pipeline running) and /metrics.</summary>
public static class HealthEndpoints
{
    /// <summary>What /readyz (and so the check plugin) adds while no objects.cache gives parents and dependencies.</summary>
    public const string NoTopology = "no Nagios topology loaded (Helpdesk:Topology:ObjectsCachePath), outages correlated by time, not by parents";

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n")).WithSummary("The process answers").Produces<string>(200, "text/plain");
        app.MapGet("/readyz", (PipelineReadiness readiness, IOptions<HelpdeskOptions> options) =>
            readiness.IsReady
                ? Results.Text(options.Value.Incidents.Topology.Current.HostCount > 0 ? "ready\n" : $"ready; {NoTopology}\n")
                : Results.Text("not ready: " + readiness.Reason + "\n", statusCode: 503))
            .WithSummary("State rebuilt, pipeline consuming, store committing; 503 with the reason otherwise").Produces<string>(200, "text/plain").Produces<string>(503, "text/plain");
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<PrometheusMetrics>().Registry)
            .WithSummary("Prometheus metrics, text format 0.0.4");
    }
}
