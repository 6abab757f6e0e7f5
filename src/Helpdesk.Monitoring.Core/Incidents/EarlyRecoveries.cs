using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Recoveries that arrived before any problem of theirs, per identity; bounded, kept in memory only. A RECOVERY with
/// nothing to resolve may have overtaken its PROBLEM (parallel Nagios workers): remembered here, the PROBLEM, when it
/// comes, opens an incident (or joins one) that is resolved at once instead of left open forever.
/// </summary>
internal sealed class EarlyRecoveries
{
    private const int Capacity = 10_000;

    private readonly Dictionary<byte[], EarlyRecovery> _byIdentity = new(FingerprintComparer.Instance);

    /// <summary>None waits: the common case, checked before a problem's id is decoded for <see cref="TryTake"/>.</summary>
    public bool IsEmpty => _byIdentity.Count == 0;

    public void Remember(ReadOnlySpan<byte> record, in NotificationFields f, string problemId)
    {
        if (_byIdentity.Count >= Capacity)
        {
            // Rare (a flood of recoveries for unknown objects): forget them all rather than grow without bound.
            _byIdentity.Clear();
        }

        _byIdentity[IncidentIndex.KeyOf(record, in f)] = new EarlyRecovery(f.TimeT, problemId, NotificationDecoder.Text(record, f.Output), f.State, f.EventId);
    }

    /// <summary>Takes the recovery that ends the problem now arriving, if one came first.</summary>
    public bool TryTake(ReadOnlySpan<byte> record, in NotificationFields f, string problemId, out byte[] identity, out EarlyRecovery recovery)
    {
        recovery = default;
        identity = IncidentIndex.KeyOf(record, in f);
        if (!_byIdentity.TryGetValue(identity, out recovery) || !recovery.Ends(problemId, f.TimeT))
        {
            return false;
        }

        _byIdentity.Remove(identity);
        return true;
    }
}

/// <summary>A recovery that came first.</summary>
internal readonly record struct EarlyRecovery(long TimeT, string ProblemId, string Output, AlertState State, Guid EventId)
{
    /// <summary>Whether it ends the problem now arriving: the same problem id, or without ids, a later time.</summary>
    public bool Ends(string problemId, long problemTimeT) =>
        problemId.Length > 0 && ProblemId.Length > 0 ? problemId == ProblemId : problemTimeT <= TimeT;
}
