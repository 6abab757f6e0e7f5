using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>Feeds notifications to an <see cref="IncidentDecider"/> in virtual time and keeps what it committed.</summary>
internal sealed class DeciderDriver
{
    private readonly IncidentProjection _committed;
    private readonly List<LiveIncident> _exported = [];
    private readonly Dictionary<DeciderDriver, int> _absorbedFrom = [];

    /// <param name="store">Shared with other drivers to play instances writing one store.</param>
    public DeciderDriver(IncidentPolicy? policy = null, DateTimeOffset? start = null, IncidentProjection? store = null)
    {
        _committed = store ?? new IncidentProjection();
        Now = start ?? DateTimeOffset.FromUnixTimeSeconds(Records.T0);
        Policy = policy ?? new IncidentPolicy();
        Decider = new IncidentDecider(Policy, [], 0, Now.ToUnixTimeMilliseconds() - 60_000);
    }

    public IncidentPolicy Policy { get; }

    public IncidentDecider Decider { get; private set; }

    public DateTimeOffset Now { get; set; }

    public IReadOnlyDictionary<long, IncidentRecord> Incidents => _committed.Incidents;

    public IReadOnlyList<TimelineEntry> Timeline => _committed.Timeline;

    public IncidentProjection Committed => _committed;

    public IReadOnlyList<AlertMember> MembersOf(long incidentId) => _committed.MembersOf(incidentId).ToList();

    public ApplyOutcome Apply(Notification n, bool knownApplied = false) => Apply(Records.Bytes(n), knownApplied);

    /// <summary>A record as its bytes: for spellings the writer never makes (escaped names, say).</summary>
    public ApplyOutcome Apply(byte[] record, bool knownApplied = false)
    {
        var fields = Records.Parse(record);
        var plan = new CommitPlan();
        var outcome = Decider.Apply(record, in fields, Now, knownApplied, plan);
        Commit(plan);
        return outcome;
    }

    /// <summary>Several notifications decided into one plan and committed together, as one turn of the pipeline.</summary>
    public void ApplyTurn(params Notification[] notifications)
    {
        var plan = new CommitPlan();
        foreach (var n in notifications)
        {
            var record = Records.Bytes(n);
            var fields = Records.Parse(record);
            Decider.Apply(record, in fields, Now, knownApplied: false, plan);
        }

        Commit(plan);
    }

    public ApplyOutcome Apply(AgentAction action, bool knownApplied = false)
    {
        var plan = new CommitPlan();
        var outcome = Decider.Apply(action, Now, knownApplied, plan);
        Commit(plan);
        return outcome;
    }

    public void Advance(TimeSpan by)
    {
        Now += by;
        var plan = new CommitPlan();
        Decider.ApplyTimers(Now, plan);
        Commit(plan);
    }

    public IncidentRecord Single() => Assert.Single(_committed.Incidents.Values);

    /// <summary>A new decider built from what was committed, as the service does at start.</summary>
    public void Restart(IncidentPolicy? policy = null) =>
        Decider = new IncidentDecider(policy ?? Policy, _committed.Incidents.Values.Where(i => i.Status != IncidentStatus.Closed),
            _committed.Incidents.Keys.DefaultIfEmpty().Max(), Now.ToUnixTimeMilliseconds(), _committed.Members, _committed.Downtimes, _committed.EarlyRecoveries);

    /// <summary>What this decider exported after each commit (scale-out: what it writes to the shared state).</summary>
    public IReadOnlyList<LiveIncident> Exported => _exported;

    /// <summary>Absorbs what <paramref name="other"/> exported since the last call, as an instance reading the shared state does.</summary>
    public int AbsorbFrom(DeciderDriver other)
    {
        var from = _absorbedFrom.GetValueOrDefault(other);
        var changed = other._exported.Skip(from).Count(Decider.Absorb);
        _absorbedFrom[other] = other._exported.Count;
        return changed;
    }

    private void Commit(CommitPlan plan)
    {
        plan.Seal();
        Assert.DoesNotContain(plan.Inserts, i => _committed.Incidents.ContainsKey(i.Id));
        _committed.Apply(plan);
        _exported.AddRange(Decider.Export(plan));
    }
}
