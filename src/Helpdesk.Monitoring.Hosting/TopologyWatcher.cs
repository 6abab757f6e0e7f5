using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Telemetry;
using Helpdesk.Monitoring.Topology;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Hosting;

/// <summary>
/// Keeps the topology in step with Nagios' objects.cache: reads it at start and again whenever its size or time
/// changes (Nagios rewrites it on every restart or reload). A file that cannot be read keeps the last good topology.
/// Polling, not a file watcher: Nagios replaces the file by rename, which inotify-based watchers easily miss.
/// </summary>
public sealed class TopologyWatcher(IOptions<HelpdeskOptions> options, HelpdeskMetrics metrics, TimeProvider time, ILogger<TopologyWatcher> logger) : BackgroundService
{
    private (DateTime Written, long Length) _loaded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var path = o.Topology.ObjectsCachePath;
        if (path.Length == 0)
        {
            logger.LogWarning("No Nagios topology: Helpdesk:Topology:ObjectsCachePath is not set, so a router outage is correlated by time only "
                + "(UNREACHABLE hosts within 5 minutes of a DOWN host of the same Nagios instance). Set it to Nagios' objects.cache to correlate by parents and dependencies");
            return;
        }

        var live = o.Incidents.Topology;
        metrics.ObserveTopology(() => live.Current.HostCount);
        using var timer = new PeriodicTimer(o.Topology.ReloadInterval, time);
        do
        {
            ReloadIfChanged(path, live);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void ReloadIfChanged(string path, LiveTopology live)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                if (_loaded == default)
                {
                    logger.LogWarning("Topology file {Path} does not exist (yet): correlating without parents and dependencies", path);
                    _loaded = (DateTime.MinValue, -1);
                }

                return;
            }

            var version = (file.LastWriteTimeUtc, file.Length);
            if (version == _loaded)
            {
                return;
            }

            live.Current = LocalFiles.ReadTopology(path);
            _loaded = version;
            logger.LogInformation("Topology loaded from {Path}: {Hosts} hosts with parents or dependencies", path, live.Current.HostCount);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Cannot read topology file {Path}; keeping the topology loaded before", path);
        }
    }
}
