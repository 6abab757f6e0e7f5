using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Storm mode, the last correlation asked: when new problems arrive faster than the rules file allows, one storm
/// incident collects them instead of one incident each, until the rate falls. Owns the rate and which incident is the
/// storm's; the decider opens the storm incident when this rule says so.
/// </summary>
internal sealed class StormRule
{
    private readonly StormRate _rate = new();
    private IncidentState? _storm;

    /// <summary>The storm incident another instance collects into (scale-out): joined rather than starting a second one.</summary>
    private IncidentState? _elsewhere;
    private DateTimeOffset _lastNewProblemAt;

    /// <summary>New problems other instances saw in the last minute (scale-out: from the shared state, per batch).</summary>
    public int OtherInstancesRate { get; set; }

    /// <summary>New problems this instance saw in the minute ending at <paramref name="unixSeconds"/>.</summary>
    public int OwnRate(long unixSeconds) => _rate.PerMinuteAt(unixSeconds);

    /// <summary>Whether new problems are being collected into a storm incident now.</summary>
    public bool Active => Volatile.Read(ref _storm) is { IsActive: true };

    /// <summary>
    /// Counts a problem that would open a new incident. Returns the storm incident that collects it, or null; sets
    /// <paramref name="startAtRate"/> when the rate has just passed the threshold and a storm incident must open.
    /// A running storm ends here when the rate has fallen to the exit level.
    /// </summary>
    public IncidentState? Collects(StormPolicy policy, Notification n, DateTimeOffset now, CommitPlan plan, out int startAtRate)
    {
        startAtRate = 0;
        if (!policy.Enabled)
        {
            return null;
        }

        _rate.Record(n.TimeT);
        plan.NewProblem(n.TimeT);
        _lastNewProblemAt = now;
        var rate = _rate.PerMinuteAt(n.TimeT) + OtherInstancesRate;
        if (_storm is { IsActive: true } running)
        {
            if (rate > policy.ExitPerMinute)
            {
                return running;
            }

            End(running, n.ReportedAt, $"{rate} new problems in the last minute", plan);
            return null;
        }

        if (rate <= policy.EnterPerMinute)
        {
            return null;
        }

        // Another instance is collecting a storm (it took a problem in the last minute): one storm incident, not one
        // per instance. Two instances crossing the threshold at the same moment may still start one each.
        if (_elsewhere is { IsActive: true } elsewhere && n.ReportedAt - elsewhere.LastSeenAt <= TimeSpan.FromMinutes(1))
        {
            Volatile.Write(ref _storm, elsewhere);
            return elsewhere;
        }

        startAtRate = rate;
        return null;
    }

    /// <summary>The decider opened the storm incident this rule asked for.</summary>
    public void Started(IncidentState storm) => Volatile.Write(ref _storm, storm);

    /// <summary>Ends a storm when no new problem has arrived for a minute (the rate check needs problems to run).</summary>
    public void EndIfCalm(DateTimeOffset now, CommitPlan plan)
    {
        if (_storm is { } storm && (!storm.IsActive || now - _lastNewProblemAt >= TimeSpan.FromMinutes(1)))
        {
            End(storm, now, "no new problem for a minute", plan);
        }
    }

    /// <summary>
    /// Another instance's copy replaced <paramref name="replaced"/> with <paramref name="incident"/>: the storm follows
    /// it, and the newest storm incident changed elsewhere is the one to join.
    /// </summary>
    public void Absorbed(IncidentState? replaced, IncidentState incident)
    {
        if (replaced is not null && ReferenceEquals(_storm, replaced))
        {
            Volatile.Write(ref _storm, incident.IsActive ? incident : null);
        }

        if (incident.CorrelationRule == CorrelationRuleNames.Storm && incident.IsActive
            && (_elsewhere is not { IsActive: true } known || known.LastSeenAt <= incident.LastSeenAt))
        {
            _elsewhere = incident;
        }
    }

    private void End(IncidentState storm, DateTimeOffset at, string why, CommitPlan plan)
    {
        Volatile.Write(ref _storm, null);
        storm.UpdatedAt = at;
        plan.Append(storm, at, TimelineKind.StormEnded, null,
            $"Storm ended: {why}; {storm.MemberCount} alerts collected, new problems open their own incidents again");
    }
}
