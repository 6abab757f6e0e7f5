using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// One way a failing alert explains another, answered in both directions, so the two can never disagree: which failing
/// alert explains a new problem (it joins that incident), and which earlier incidents a newly failing alert explains
/// (Nagios often notifies a service before its host: they are merged into it). Adding a rule is a new file here and a
/// line in <see cref="TopologyRules.Enabled"/>. Time-window groups and storms collect by time, not by cause: they are
/// not rules of this kind and never merge.
/// </summary>
internal abstract class TopologyRule
{
    /// <summary>The live incident in which an alert that explains <paramref name="alert"/> is failing, with the rule and key.</summary>
    public abstract IncidentState? Explain(in AlertIdentity alert, ICauseIndex causes, out string rule, out string key);

    /// <summary>Hands <paramref name="merge"/> each set of earlier incidents the newly failing <paramref name="cause"/> explains.</summary>
    public abstract void ExplainedBy(in AlertIdentity cause, ICauseIndex causes, IncidentMerge merge);
}

/// <summary>An alert as the correlation rules look at it: whose it is and its state.</summary>
internal readonly record struct AlertIdentity(string Instance, string Host, string Service, AlertState State, DateTimeOffset At)
{
    public bool IsHost => Service.Length == 0;
}

/// <summary>What the rules ask of the live incidents: the topology, and where a given alert is failing.</summary>
internal interface ICauseIndex
{
    NagiosTopology Topology { get; }

    IncidentState? FailingIncidentOf(string instance, string host, string service);

    /// <summary>The latest host incidents of an instance (newest last, a few at most): what a rule without topology looks at.</summary>
    IReadOnlyList<IncidentState> RecentHostIncidents(string instance);
}

/// <summary>Merges the live single-alert incidents of <paramref name="host"/> that <paramref name="explained"/> picks.</summary>
internal delegate void IncidentMerge(string host, Func<IncidentState, bool> explained, string rule, string key);
