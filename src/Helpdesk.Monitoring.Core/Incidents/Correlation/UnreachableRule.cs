using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Without a topology (no objects.cache): by Nagios' definition an UNREACHABLE host is one whose parent is down, so
/// an UNREACHABLE host joins the incident of a host of the same Nagios instance that went DOWN within
/// <see cref="Window"/> of it (or, before any DOWN host is known, the first UNREACHABLE one), and a host that goes DOWN
/// takes in the UNREACHABLE host incidents that opened just before it. With a topology, the exact parent rule decides
/// and this one stays silent.
/// </summary>
internal sealed class UnreachableRule : TopologyRule
{
    /// <summary>How far apart a DOWN host and the hosts behind it may be reported: Nagios checks the children again after the parent.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static UnreachableRule Instance { get; } = new();

    public override IncidentState? Explain(in AlertIdentity alert, ICauseIndex causes, out string rule, out string key)
    {
        (rule, key) = ("", "");
        if (!alert.IsHost || alert.State != AlertState.Unreachable || causes.Topology.HostCount > 0)
        {
            return null;
        }

        // A DOWN host explains it best; failing that, the UNREACHABLE host that came first gathers the others.
        IncidentState? down = null, unreachable = null;
        foreach (var candidate in causes.RecentHostIncidents(alert.Instance))
        {
            if (!candidate.IsActive || candidate.Host == alert.Host || (alert.At - candidate.OpenedAt).Duration() > Window)
            {
                continue;
            }

            if (candidate.State == AlertState.Down)
            {
                down = candidate;
            }
            else if (candidate.State == AlertState.Unreachable && candidate.CorrelationRule.Length == 0)
            {
                unreachable ??= candidate;
            }
        }

        var cause = down ?? unreachable;
        if (cause is not null)
        {
            (rule, key) = (CorrelationRuleNames.Unreachable, cause.Host);
        }

        return cause;
    }

    public override void ExplainedBy(in AlertIdentity cause, ICauseIndex causes, IncidentMerge merge)
    {
        if (!cause.IsHost || cause.State != AlertState.Down || causes.Topology.HostCount > 0)
        {
            return;
        }

        var at = cause.At;
        foreach (var earlier in causes.RecentHostIncidents(cause.Instance).ToArray())
        {
            if (earlier.Host != cause.Host && earlier.State == AlertState.Unreachable && (at - earlier.OpenedAt).Duration() <= Window)
            {
                merge(earlier.Host, i => i.Service.Length == 0 && i.State == AlertState.Unreachable && (at - i.OpenedAt).Duration() <= Window,
                    CorrelationRuleNames.Unreachable, cause.Host);
            }
        }
    }
}
