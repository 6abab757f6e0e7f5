using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentDecider
{
    private readonly EarlyRecoveries _earlyRecoveries = new();

    private Decision OpenUnlessRecovered(Notification n, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan, string rule = "", string groupKey = "")
    {
        var opened = Open(n, now, plan, rule, groupKey);
        if (_earlyRecoveries.IsEmpty || !_earlyRecoveries.TryTake(record, in f, ProblemIdOf(record, in f), plan, out _, out var recovery))
        {
            return opened;
        }

        var incident = _index[opened.IncidentId];
        var resolvedAt = DateTimeOffset.FromUnixTimeSeconds(recovery.TimeT);
        incident.State = recovery.State;
        incident.LastOutputUtf8 = System.Text.Encoding.UTF8.GetBytes(recovery.Output);
        MarkResolved(incident, resolvedAt, recovery.EventId,
            $"Recovered ({NagiosNames.Of(recovery.State)}), reported before its problem arrived: {recovery.Output}", plan);
        return opened;
    }

    /// <summary>Joins an incident as a member; a recovery that came before this problem marks the member recovered at once.</summary>
    private Decision JoinUnlessRecovered(IncidentState incident, Notification n, ReadOnlySpan<byte> record, in NotificationFields f, string rule, string key, DateTimeOffset now, CommitPlan plan)
    {
        var joined = Join(incident, n, rule, key, now, plan);
        if (_earlyRecoveries.IsEmpty || !_earlyRecoveries.TryTake(record, in f, ProblemIdOf(record, in f), plan, out var identity, out var recovery))
        {
            return joined;
        }

        if (incident.Members?.GetValueOrDefault(identity) is not { } member)
        {
            return joined;
        }

        member.Recovered = true;
        member.State = recovery.State;
        member.LastOutput = recovery.Output;
        member.LastSeenAt = DateTimeOffset.FromUnixTimeSeconds(recovery.TimeT);
        ResolveIfDone(incident, DateTimeOffset.FromUnixTimeSeconds(recovery.TimeT), recovery.EventId,
            $"{member.Name} recovered ({NagiosNames.Of(recovery.State)}), reported before its problem arrived: {recovery.Output}", plan);
        return joined;
    }
}
