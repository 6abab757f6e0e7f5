using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

public sealed partial class IncidentBook
{
    /// <summary>Recoveries that arrived before any problem of theirs, per identity; bounded, kept in memory only.</summary>
    private readonly Dictionary<byte[], EarlyRecovery> _earlyRecoveries = new(FingerprintComparer.Instance);

    private const int MaxEarlyRecoveries = 10_000;

    /// <summary>
    /// A RECOVERY with nothing to resolve may have overtaken its PROBLEM (parallel Nagios workers): remember it, so
    /// the PROBLEM, when it comes, opens an incident that is resolved at once instead of one left open forever.
    /// </summary>
    private void RememberEarlyRecovery(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        if (_earlyRecoveries.Count >= MaxEarlyRecoveries)
        {
            // Rare (a flood of recoveries for unknown objects): forget them all rather than grow without bound.
            _earlyRecoveries.Clear();
        }

        _earlyRecoveries[IncidentIndex.KeyOf(record, in f)] = new EarlyRecovery(f.TimeT, ProblemIdOf(record, in f), NotificationDecoder.Text(record, f.Output), f.State, f.EventId);
    }

    private Decision OpenUnlessRecovered(Notification n, ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, CommitPlan plan, string rule = "", string groupKey = "")
    {
        var opened = Open(n, now, plan, rule, groupKey);
        if (_earlyRecoveries.Count == 0)
        {
            return opened;
        }

        var key = IncidentIndex.KeyOf(record, in f);
        if (!_earlyRecoveries.TryGetValue(key, out var recovery) || !recovery.Ends(ProblemIdOf(record, in f), f.TimeT))
        {
            return opened;
        }

        _earlyRecoveries.Remove(key);
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
        if (_earlyRecoveries.Count == 0)
        {
            return joined;
        }

        var fingerprint = IncidentIndex.KeyOf(record, in f);
        if (!_earlyRecoveries.TryGetValue(fingerprint, out var recovery) || !recovery.Ends(ProblemIdOf(record, in f), f.TimeT)
            || incident.Members?.GetValueOrDefault(fingerprint) is not { } member)
        {
            return joined;
        }

        _earlyRecoveries.Remove(fingerprint);
        member.Recovered = true;
        member.State = recovery.State;
        member.LastOutput = recovery.Output;
        ResolveIfDone(incident, DateTimeOffset.FromUnixTimeSeconds(recovery.TimeT), recovery.EventId,
            $"{member.Name} recovered ({NagiosNames.Of(recovery.State)}), reported before its problem arrived: {recovery.Output}", plan);
        return joined;
    }

    /// <summary>A recovery that came first.</summary>
    private readonly record struct EarlyRecovery(long TimeT, string ProblemId, string Output, AlertState State, Guid EventId)
    {
        /// <summary>Whether it ends the problem now arriving: the same problem id, or without ids, a later time.</summary>
        public bool Ends(string problemId, long problemTimeT) =>
            problemId.Length > 0 && ProblemId.Length > 0 ? problemId == ProblemId : problemTimeT <= TimeT;
    }
}
