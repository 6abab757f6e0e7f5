using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Recoveries that arrived before any problem of theirs, per identity; bounded. A RECOVERY with nothing to resolve may
/// have overtaken its PROBLEM (parallel Nagios workers): remembered here, the PROBLEM, when it comes, opens an incident
/// (or joins one) that is resolved at once instead of left open forever. Each one held or let go is written with its
/// batch (<see cref="CommitPlan.HeldRecoveries"/>), so a restart between the two still resolves the incident.
/// </summary>
internal sealed class EarlyRecoveries
{
    private const int Capacity = 10_000;

    private readonly Dictionary<byte[], EarlyRecovery> _byIdentity = new(FingerprintComparer.Instance);

    // The dictionary's size as of the last change, for readers on other threads (a metrics scrape).
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>None waits: the common case, checked before a problem's id is decoded for <see cref="TryTake"/>.</summary>
    public bool IsEmpty => _byIdentity.Count == 0;

    /// <summary>What the store kept: the recoveries still waiting for their problem before a restart.</summary>
    public void Restore(IEnumerable<EarlyRecovery> kept)
    {
        foreach (var r in kept)
        {
            _byIdentity[Fingerprint.Of(r.Instance, r.Host, r.Service)] = r;
        }

        Volatile.Write(ref _count, _byIdentity.Count);
    }

    public void Remember(ReadOnlySpan<byte> record, in NotificationFields f, string problemId, CommitPlan plan)
    {
        if (_byIdentity.Count >= Capacity)
        {
            // Rare (a flood of recoveries for unknown objects): the oldest tenth go rather than the set grow without
            // bound. The longer a recovery has waited, the less likely its problem is still on its way; the newest are
            // the ones whose problems parallel workers may still deliver. One sort per thousand recoveries.
            foreach (var (identity, forgotten) in _byIdentity.OrderBy(e => e.Value.TimeT).Take(Capacity / 10).ToList())
            {
                _byIdentity.Remove(identity);
                plan.RecoveryLetGo(forgotten);
            }
        }

        var recovery = new EarlyRecovery(NotificationDecoder.Text(record, f.Instance), NotificationDecoder.Text(record, f.Host),
            NotificationDecoder.Text(record, f.Service), f.TimeT, problemId, NotificationDecoder.Text(record, f.Output), f.State, f.EventId);
        _byIdentity[IncidentIndex.KeyOf(record, in f)] = recovery;
        Volatile.Write(ref _count, _byIdentity.Count);
        plan.RecoveryHeld(recovery);
    }

    /// <summary>Takes the recovery that ends the problem now arriving, if one came first.</summary>
    public bool TryTake(ReadOnlySpan<byte> record, in NotificationFields f, string problemId, CommitPlan plan, out byte[] identity, out EarlyRecovery recovery)
    {
        recovery = default;
        identity = IncidentIndex.KeyOf(record, in f);
        if (!_byIdentity.TryGetValue(identity, out recovery) || !recovery.Ends(problemId, f.TimeT))
        {
            return false;
        }

        _byIdentity.Remove(identity);
        Volatile.Write(ref _count, _byIdentity.Count);
        plan.RecoveryLetGo(recovery);
        return true;
    }
}

/// <summary>A recovery that came first, as the store keeps it: its object, Nagios time, problem id, output, state and event.</summary>
public readonly record struct EarlyRecovery(string Instance, string Host, string Service, long TimeT, string ProblemId, string Output, AlertState State, Guid EventId)
{
    /// <summary>Whether it ends the problem now arriving: the same problem id, or without ids, a later time.</summary>
    public bool Ends(string problemId, long problemTimeT) =>
        problemId.Length > 0 && ProblemId.Length > 0 ? problemId == ProblemId : problemTimeT <= TimeT;
}
