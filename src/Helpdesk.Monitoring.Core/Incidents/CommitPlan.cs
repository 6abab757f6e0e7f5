using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// Everything one batch changed, ready for one store transaction: the applied event ids, incidents opened (whole
/// rows), mutable columns of changed incidents, counters of repeated ones, new timeline entries and the incident events
/// they are (the outbox). Every part writes absolute values, so writing a plan twice changes nothing.
/// </summary>
public sealed class CommitPlan
{
    private readonly List<AppliedEvent> _events = [];
    // Each changed incident once: an incident is in this list exactly while its Pending is not None (one plan per
    // decider), so a repeat's incident is added by a flag test instead of a hash set probe.
    private readonly List<IncidentState> _dirty = [];
    private readonly Dictionary<long, IncidentRecord> _opened = [];
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<IncidentEvent> _incidentEvents = [];
    private readonly List<IncidentRecord> _inserts = [];
    private readonly List<IncidentChange> _updates = [];
    private readonly List<CounterChange> _counters = [];
    private readonly HashSet<MemberState> _dirtyMembers = [];
    private readonly List<AlertMember> _members = [];
    private readonly Dictionary<long, int> _newProblems = [];
    private readonly List<Delivery> _deliveries = [];

    // Each object's last downtime change in the batch: a start and an end in one batch leave the end.
    private readonly Dictionary<(string Instance, string Host, string Service), ScheduledDowntime> _downtimes = [];

    // Each object's early recovery as the batch leaves it: held (a value) or let go (null).
    private readonly Dictionary<(string Instance, string Host, string Service), EarlyRecovery?> _recoveries = [];

    // Beside each incident event, what routing looks at (team, customer, maintenance are not in the event's row).
    private readonly List<OutboundEvent> _outbound = [];

    public IReadOnlyList<AppliedEvent> Events => _events;

    /// <summary>Incidents opened by this batch, as they stand at its end; filled by <see cref="Seal"/>.</summary>
    public IReadOnlyList<IncidentRecord> Inserts => _inserts;

    /// <summary>Existing incidents whose mutable columns changed; write these before <see cref="Inserts"/>.</summary>
    public IReadOnlyList<IncidentChange> Updates => _updates;

    /// <summary>Existing incidents that only counted repeats.</summary>
    public IReadOnlyList<CounterChange> Counters => _counters;

    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>What happened, one event per timeline entry, each with the incident as it stood right after it.</summary>
    public IReadOnlyList<IncidentEvent> IncidentEvents => _incidentEvents;

    /// <summary>
    /// The incident events to send, one per channel that wants each: written in the commit's transaction, so the
    /// store's delivery queue holds exactly what was committed (added by <see cref="Route"/>).
    /// </summary>
    public IReadOnlyList<Delivery> Deliveries => _deliveries;

    /// <summary>Correlated alerts that joined or changed, as they stand at the end of the batch (write after the incidents).</summary>
    public IReadOnlyList<AlertMember> Members => _members;

    /// <summary>Objects whose scheduled downtime started (with its start) or ended (no start) in this batch.</summary>
    public IReadOnlyCollection<ScheduledDowntime> Downtimes => _downtimes.Values;

    internal void Downtime(ScheduledDowntime change) => _downtimes[(change.Instance, change.Host, change.Service)] = change;

    /// <summary>Recoveries that came before their problem and wait for it, as this batch leaves them.</summary>
    public IEnumerable<EarlyRecovery> HeldRecoveries => _recoveries.Count == 0 ? [] : _recoveries.Values.Where(r => r is not null).Select(r => r!.Value);

    /// <summary>Objects whose early recovery this batch let go (its problem came, or the bound was reached).</summary>
    public IEnumerable<(string Instance, string Host, string Service)> LetGoRecoveries =>
        _recoveries.Count == 0 ? [] : _recoveries.Where(r => r.Value is null).Select(r => r.Key);

    internal void RecoveryHeld(EarlyRecovery recovery) => _recoveries[(recovery.Instance, recovery.Host, recovery.Service)] = recovery;

    internal void RecoveryLetGo(EarlyRecovery recovery) => _recoveries[(recovery.Instance, recovery.Host, recovery.Service)] = null;

    /// <summary>Problems that would have opened an incident, by Nagios second: the storm rate other instances see.</summary>
    public IReadOnlyDictionary<long, int> NewProblemsBySecond => _newProblems;

    internal void NewProblem(long timeT) => _newProblems[timeT] = _newProblems.GetValueOrDefault(timeT) + 1;

    public bool IsEmpty => _events.Count == 0 && _dirty.Count == 0 && _inserts.Count == 0 && _updates.Count == 0 && _counters.Count == 0 && _dirtyMembers.Count == 0 && _members.Count == 0 && _downtimes.Count == 0 && _recoveries.Count == 0;

    public int IncidentsWritten => _inserts.Count + _updates.Count + _counters.Count;

    internal void Applied(in AppliedEvent applied) => _events.Add(applied);

    internal void Opened(IncidentRecord record, IncidentState incident)
    {
        _opened[record.Id] = record;
        Changed(incident, ChangeKind.Mutable);
    }

    internal void Changed(IncidentState incident, ChangeKind kind)
    {
        if (incident.Pending == ChangeKind.None)
        {
            _dirty.Add(incident);
        }

        if (kind > incident.Pending)
        {
            incident.Pending = kind;
        }
    }

    internal void MemberChanged(MemberState member) => _dirtyMembers.Add(member);

    internal void Append(IncidentState incident, DateTimeOffset at, TimelineKind kind, Guid? eventId, string text) =>
        Append(incident, at, kind, IncidentEventKindNames.Of(kind), eventId, text);

    /// <summary>A timeline entry, and the event it is when that says more than its kind (maintenance, flapping).</summary>
    /// <param name="byAgent">A person acted in the helpdesk (not a notification, not the clock): what Nagios is told of.</param>
    internal void Append(IncidentState incident, DateTimeOffset at, TimelineKind kind, IncidentEventKind happened, Guid? eventId, string text, bool byAgent = false)
    {
        var seq = ++incident.TimelineCount;
        _timeline.Add(new TimelineEntry(incident.Id, seq, at, kind, eventId, text));
        _incidentEvents.Add(new IncidentEvent(IncidentEvent.IdOf(incident.Id, seq), happened, at, incident.Id, seq, eventId, incident.Status,
            incident.Priority, incident.Tier, incident.State, incident.AlertCount, incident.MergedInto, text));
        _outbound.Add(new OutboundEvent(IncidentEventKindNames.Of(happened), incident.Priority, incident.Tier, incident.Team, incident.Customer, incident.InMaintenance, byAgent));
        Changed(incident, ChangeKind.Mutable);
    }

    /// <summary>
    /// Queues each incident event for the channels <paramref name="channelsFor"/> names; call once, after
    /// <see cref="Seal"/>. Foldable events wait <paramref name="foldWindow"/> for the updates that follow them.
    /// </summary>
    public void Route(Func<OutboundEvent, IEnumerable<string>> channelsFor, DateTimeOffset now, TimeSpan foldWindow)
    {
        for (var i = 0; i < _incidentEvents.Count; i++)
        {
            var e = _incidentEvents[i];
            foreach (var channel in channelsFor(_outbound[i]))
            {
                var foldable = Delivery.IsFoldable(e.Kind);
                _deliveries.Add(new Delivery(channel, e.Id, e.IncidentId, e.Seq, now, foldable ? now + foldWindow : now, foldable));
            }
        }
    }

    /// <summary>Takes the changes; call once, after the last decision of the batch.</summary>
    public void Seal()
    {
        foreach (var incident in _dirty)
        {
            var added = incident.AlertCount - incident.CommittedAlertCount;
            if (_opened.TryGetValue(incident.Id, out var opened))
            {
                _inserts.Add(incident.ToChange().ApplyTo(opened));
            }
            else if (incident.Pending == ChangeKind.Mutable)
            {
                var keepsStatus = incident.Status == incident.CommittedStatus && incident.ClosedAt == incident.CommittedClosedAt;
                _updates.Add(incident.ToChange(added, keepsStatus));
            }
            else
            {
                _counters.Add(new CounterChange(incident.Id, incident.AlertCount, incident.LastSeenAt, added));
            }

            incident.CommittedAlertCount = incident.AlertCount;
            incident.CommittedStatus = incident.Status;
            incident.CommittedClosedAt = incident.ClosedAt;
            incident.Pending = ChangeKind.None;
        }

        foreach (var member in _dirtyMembers)
        {
            _members.Add(member.ToRecord());
        }

        _dirty.Clear();
        _opened.Clear();
        _dirtyMembers.Clear();

        // Id order: a resolved incident's update lands before its successor for the same identity is inserted.
        _inserts.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        _updates.Sort(static (a, b) => a.Id.CompareTo(b.Id));
    }

    public void Clear()
    {
        foreach (var incident in _dirty)
        {
            incident.Pending = ChangeKind.None;
        }

        _events.Clear();
        _dirty.Clear();
        _opened.Clear();
        _timeline.Clear();
        _incidentEvents.Clear();
        _outbound.Clear();
        _inserts.Clear();
        _updates.Clear();
        _counters.Clear();
        _dirtyMembers.Clear();
        _members.Clear();
        _newProblems.Clear();
        _deliveries.Clear();
        _downtimes.Clear();
        _recoveries.Clear();
    }
}
