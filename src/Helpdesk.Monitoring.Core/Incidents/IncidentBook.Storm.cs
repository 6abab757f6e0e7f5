using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentBook
{
    private readonly StormRate _stormRate = new();
    private IncidentState? _storm;

    /// <summary>The storm incident another instance collects into (scale-out): joined rather than starting a second one.</summary>
    private IncidentState? _stormElsewhere;
    private DateTimeOffset _lastNewProblemAt;

    /// <summary>New problems other instances saw in the last minute (scale-out: from the shared state, per batch).</summary>
    public int OtherInstancesStormRate { get; set; }

    /// <summary>New problems this instance saw in the minute ending at <paramref name="unixSeconds"/>.</summary>
    public int OwnStormRate(long unixSeconds) => _stormRate.PerMinuteAt(unixSeconds);

    /// <summary>Whether new problems are being collected into a storm incident now.</summary>
    public bool StormActive => Volatile.Read(ref _storm) is { IsActive: true };

    /// <summary>
    /// Counts a problem that would open a new incident. Returns the storm incident that collects it: the running storm,
    /// or a new one when the rate has just passed the threshold. A storm ends when the rate falls to the exit level.
    /// </summary>
    private IncidentState? StormCollects(Notification n, DateTimeOffset now, CommitPlan plan)
    {
        var storm = _policy.Rules.Correlation.Storm;
        if (!storm.Enabled)
        {
            return null;
        }

        _stormRate.Record(n.TimeT);
        plan.NewProblem(n.TimeT);
        _lastNewProblemAt = now;
        var rate = _stormRate.PerMinuteAt(n.TimeT) + OtherInstancesStormRate;
        if (_storm is { IsActive: true } running)
        {
            if (rate > storm.ExitPerMinute)
            {
                return running;
            }

            EndStorm(running, n.ReportedAt, $"{rate} new problems in the last minute", plan);
            return null;
        }

        if (rate <= storm.EnterPerMinute)
        {
            return null;
        }

        // Another instance is collecting a storm (it took a problem in the last minute): one storm incident, not one
        // per instance. Two instances crossing the threshold at the same moment may still start one each.
        if (_stormElsewhere is { IsActive: true } elsewhere && n.ReportedAt - elsewhere.LastSeenAt <= TimeSpan.FromMinutes(1))
        {
            Volatile.Write(ref _storm, elsewhere);
            return elsewhere;
        }

        return StartStorm(n, rate, now, plan);
    }

    /// <summary>Notes a storm incident another instance changed: the newest such is the one to join.</summary>
    private void NoteStormElsewhere(IncidentState incident)
    {
        if (incident.CorrelationRule == CorrelationRuleNames.Storm && incident.IsActive
            && (_stormElsewhere is not { IsActive: true } known || known.LastSeenAt <= incident.LastSeenAt))
        {
            _stormElsewhere = incident;
        }
    }

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
            Sla = StartSla(Priority.P2, n, "", started),
        };
        var incident = Track(opened);
        plan.Opened(opened, incident);
        plan.Append(incident, started, TimelineKind.StormStarted, null,
            $"Storm started: {rate} new problems in the last minute (threshold {rules.Correlation.Storm.EnterPerMinute})");
        Volatile.Write(ref _storm, incident);
        return incident;
    }

    private void EndStorm(IncidentState storm, DateTimeOffset at, string why, CommitPlan plan)
    {
        Volatile.Write(ref _storm, null);
        storm.UpdatedAt = at;
        plan.Append(storm, at, TimelineKind.StormEnded, null,
            $"Storm ended: {why}; {storm.MemberCount} alerts collected, new problems open their own incidents again");
    }

    /// <summary>Ends a storm when no new problem has arrived for a minute (the rate check needs problems to run).</summary>
    private void EndStormIfCalm(DateTimeOffset now, CommitPlan plan)
    {
        if (_storm is { } storm && (!storm.IsActive || now - _lastNewProblemAt >= TimeSpan.FromMinutes(1)))
        {
            EndStorm(storm, now, "no new problem for a minute", plan);
        }
    }
}
