using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    /// <summary>Opens the incident a storm collects into, when the storm rule says the rate passed its threshold.</summary>
    private IncidentState StartStorm(Notification n, int rate, DateTimeOffset now, CommitPlan plan)
    {
        var rules = _policy.Rules;
        var started = n.ReportedAt;
        var key = started.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var id = NextId();
        var opened = new IncidentRecord
        {
            Id = id,
            Instance = n.Instance,
            Host = "",

            // The id keeps the identity unique even for two storms started in the same second (after a restart).
            Service = $"storm {key} #{id}",
            Title = $"Alert storm: {rate} new problems in a minute (instance {n.Instance})",
            Description = $"More than {rules.Correlation.Storm.EnterPerMinute} new problems per minute from Nagios instance '{n.Instance}' since {key}: "
                + "they are collected here instead of one incident each, until the rate falls to "
                + $"{rules.Correlation.Storm.ExitPerMinute} per minute. Look for a shared cause (network, power, a monitoring fault).",
            Status = IncidentStatus.Open,
            Priority = Priority.P2,
            Category = "storm",
            Team = rules.Routing.DefaultTeam,
            Tier = "L2",
            State = n.State,
            WorstState = n.State,
            AlertCount = 0,
            OpenedAt = started,
            LastSeenAt = started,
            UpdatedAt = now,
            CorrelationRule = CorrelationRuleNames.Storm,
            CorrelationKey = key,
            Sla = _sla.Start(Priority.P2, n, "", started),
        };
        var incident = Track(opened);
        plan.Opened(opened, incident);
        plan.Append(incident, started, TimelineKind.StormStarted, null,
            $"Storm started: {rate} new problems in the last minute (threshold {rules.Correlation.Storm.EnterPerMinute})");
        return incident;
    }
}
