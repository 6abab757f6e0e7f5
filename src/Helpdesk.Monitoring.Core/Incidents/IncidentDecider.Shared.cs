namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Scale-out: the decider as one instance's copy of state several instances change. After a commit the decider exports what
/// the batch changed; before a batch it absorbs what other instances changed. A copy that is stale anyway (a change
/// still on its way) is caught by the store, which refuses a plan that extends a timeline another writer extended
/// first; the instance then rebuilds from the store and decides again.
/// </summary>
public sealed partial class IncidentDecider
{
    private readonly RetiredIncidents _retired = new(16_384);

    /// <summary>
    /// What a sealed, committed plan changed, as other instances absorb it: opened and changed incidents and those whose
    /// members changed, each with the members that changed (not all: a router's or a storm's incident may hold
    /// thousands). Incidents that only counted repeats are left out (in a storm that is most of a batch): no decision
    /// of another instance depends on a count, and the store adds counts rather than overwriting them.
    /// </summary>
    public IReadOnlyList<LiveIncident> Export(CommitPlan plan)
    {
        var revisions = new Dictionary<long, int>();
        foreach (var r in plan.Inserts)
        {
            revisions[r.Id] = r.TimelineCount;
        }

        foreach (var c in plan.Updates)
        {
            revisions[c.Id] = c.TimelineCount;
        }

        foreach (var m in plan.Members)
        {
            revisions.TryAdd(m.IncidentId, -1);
        }

        var changedMembers = plan.Members.ToLookup(m => m.IncidentId);
        var exported = new List<LiveIncident>(revisions.Count);
        foreach (var (id, revision) in revisions)
        {
            if (_index.TryGet(id, out var incident))
            {
                exported.Add(Export(incident, [.. changedMembers[id]]));
            }
            else if (revision >= 0)
            {
                exported.Add(new LiveIncident(id, revision, null, []));
            }
        }

        return exported;
    }

    /// <summary>Every live incident: what an empty shared state is seeded with after a rebuild from the store.</summary>
    public IReadOnlyList<LiveIncident> ExportLive() =>
        _index.All.Select(i => Export(i, i.Members?.Values.Select(m => m.ToRecord()).ToList() ?? [])).ToList();

    /// <summary>
    /// Takes another instance's copy of an incident when it is not older than this decider's: replaces the incident (its
    /// identity, group, host index and clocks follow; the members it had stay, those the copy carries are laid over
    /// them), or drops it when it is no longer live.
    /// </summary>
    /// <returns>Whether the decider changed.</returns>
    public bool Absorb(LiveIncident incoming)
    {
        var knewFailing = false;
        if (_index.TryGet(incoming.Id, out var current))
        {
            if (current.TimelineCount > incoming.Revision)
            {
                return false;
            }

            knewFailing = current.IsFailing;
            Retire(current);
        }
        else if (incoming.Record is null || _retired.LeftAtOrAfter(incoming.Id, incoming.Revision))
        {
            // Gone, or gone at a later revision than this copy: remember it so an older copy arriving later stays out.
            Remember(incoming.Id, incoming.Revision);
            return false;
        }

        _index.Saw(incoming.Id);
        if (incoming.Record is not { Status: not IncidentStatus.Closed } record)
        {
            Remember(incoming.Id, incoming.Revision);
            return current is not null;
        }

        var incident = Admit(record);
        foreach (var member in current?.Members?.Values ?? Enumerable.Empty<MemberState>())
        {
            _index.Attach(incident, member, decidedHere: false);
        }

        if (!knewFailing)
        {
            LearnCause(incident);
        }

        foreach (var m in incoming.Members)
        {
            AttachCopy(incident, m);
        }

        _correlator.Groups.Register(incident);
        _correlator.Storm.Absorbed(current, incident);
        return true;
    }

    /// <summary>Takes another instance's change to one correlated alert of a live incident; false when the incident is not live here.</summary>
    public bool Absorb(AlertMember member)
    {
        if (!_index.TryGet(member.IncidentId, out var incident))
        {
            return false;
        }

        AttachCopy(incident, member);
        return true;
    }

    /// <summary>Another instance's copy of a member, laid over this decider's; learned as a cause unless it was failing here already.</summary>
    private void AttachCopy(IncidentState incident, AlertMember copy)
    {
        var member = new MemberState(copy, Fingerprint.Of(copy.Instance, copy.Host, copy.Service));
        var knewFailing = KnewFailing(incident, member);
        _index.Attach(incident, member, decidedHere: false);
        if (!knewFailing)
        {
            LearnCause(incident, member);
        }
    }

    /// <summary>Takes an incident out of the decider for a newer copy; its queued clocks see it closed and skip it.</summary>
    private void Retire(IncidentState incident)
    {
        Forget(incident);
        if (incident.IsActive)
        {
            _index.Deactivated();
        }

        incident.Status = IncidentStatus.Closed;
    }

    private void Remember(long id, int revision) => _retired.Remember(id, revision);

    private static LiveIncident Export(IncidentState incident, IReadOnlyList<AlertMember> members)
    {
        var identity = new IncidentRecord
        {
            Id = incident.Id,
            Instance = incident.Instance,
            Host = incident.Host,
            Service = incident.Service,
            Customer = incident.Customer,
            Team = incident.Team,
            Title = incident.Title,
            Status = incident.Status,
            Priority = incident.Priority,
            State = incident.State,
            WorstState = incident.WorstState,
            ProblemId = incident.ProblemId,
            AlertCount = incident.AlertCount,
            OpenedAt = incident.OpenedAt,
            LastSeenAt = incident.LastSeenAt,
            UpdatedAt = incident.UpdatedAt,
            CorrelationRule = incident.CorrelationRule,
            CorrelationKey = incident.CorrelationKey,
        };
        return new LiveIncident(incident.Id, incident.TimelineCount, incident.ToChange().ApplyTo(identity), members);
    }
}
