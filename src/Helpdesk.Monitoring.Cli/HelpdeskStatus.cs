using System.Globalization;

namespace Helpdesk.Monitoring.Cli;

/// <summary>What the check plugin reads from a running service: readiness and a few /metrics samples.</summary>
public sealed record HelpdeskStatus(bool Ready, string ReadyText, double SpoolBacklog, double ActiveIncidents, double DeadLettered)
{
    /// <summary>Inputs `helpdesk notify` refused (rejected/) plus entries the service set aside (quarantine/).</summary>
    public double SetAside { get; init; }

    /// <summary>Outbound deliveries the service gave up and keeps for an operator: people who were not told.</summary>
    public double GivenUp { get; init; }

    /// <summary>
    /// The last reload of the rules file was refused: the rules read before are in force, not the file on disk. False
    /// when the service does not say (one older than the reload).
    /// </summary>
    public bool RulesRefused { get; init; }

    /// <summary>Sums every sample of a metric family in Prometheus text, whatever its labels.</summary>
    public static double Sum(string exposition, string metric)
    {
        double sum = 0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is ' ' or '{')
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    sum += v;
                }
            }
        }

        return sum;
    }
}
