using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The incidents that are not closed yet, and the decisions that change them. Pure state: no I/O, no clock of its own
/// (callers pass "now"), single-threaded. Every change lands in a <see cref="CommitPlan"/> for the store.
/// </summary>
public sealed partial class IncidentDecider
{
    private IncidentPolicy _policy;
    private readonly IncidentIndex _index;
    private readonly DueClocks _clocks = new();
    private DateTimeOffset _nextClockCompaction;

    /// <summary>Clock entries waiting, stale ones included (for tests of the bound).</summary>
    internal int ScheduledClocks => _clocks.Count;

    /// <summary>A live incident's state as kept in memory (for tests of what it shares).</summary>
    internal IncidentState LiveState(long id) => _index[id];

    private readonly Correlator _correlator;
    private readonly SlaClocks _sla;
    private readonly SeenEvents _seen;
    private readonly ScheduledDowntimes _downtimes = new();
    private readonly NameTable _names = new();

    /// <summary>The time of the decision being made (each Apply and ApplyTimers sets it): when what is decided arrived.</summary>
    private DateTimeOffset _now;

    /// <param name="live">Every incident that is not closed, as the store holds it.</param>
    /// <param name="lastId">The highest incident id ever used.</param>
    /// <param name="watermarkUnixMs">Event ids created before this are checked against the store.</param>
    /// <param name="members">The correlated alerts of the live incidents.</param>
    /// <param name="downtimes">The objects in scheduled downtime, as the store kept them.</param>
    /// <param name="earlyRecoveries">Recoveries still waiting for the problem they overtook, as the store kept them.</param>
    public IncidentDecider(IncidentPolicy policy, IEnumerable<IncidentRecord> live, long lastId, long watermarkUnixMs, IEnumerable<AlertMember>? members = null,
        IEnumerable<ScheduledDowntime>? downtimes = null, IEnumerable<EarlyRecovery>? earlyRecoveries = null)
    {
        _policy = policy;
        _index = new IncidentIndex(lastId, () => _policy.Topology.Current);
        _correlator = new Correlator(_index);
        _sla = new SlaClocks(policy, _clocks);
        _seen = new SeenEvents(policy.SeenEventCapacity, watermarkUnixMs);
        _downtimes.Restore(downtimes ?? []);
        _earlyRecoveries.Restore(earlyRecoveries ?? []);
        foreach (var record in live.OrderBy(r => r.Id))
        {
            Admit(record);

            // A storm is not resumed after a restart: whether it had ended is not kept, and if the rate is still high
            // the next problems start a new one (the earlier storm incident stays until what it collected recovers).
        }

        foreach (var member in members ?? [])
        {
            if (_index.TryGet(member.IncidentId, out var incident))
            {
                _index.Attach(incident, new MemberState(member, Fingerprint.Of(member.Instance, member.Host, member.Service)), decidedHere: true);
            }
        }

        foreach (var incident in _index.All)
        {
            _correlator.Groups.Register(incident);
        }

        // What the store holds may have been decided by instances that did not know each other's causes yet.
        LearnStoreCauses();
    }

    /// <summary>
    /// Decides from now on with <paramref name="policy"/> (the rules file was reloaded), as a restart with it would:
    /// open incidents keep their priority, team and deadlines; their clocks are queued again, so an L1 window, a
    /// verification hold or a customer's update interval the new rules changed counts from when it started. Stale
    /// entries of the old ones are recognised when they come due, as any moved deadline's are.
    /// </summary>
    public void UsePolicy(IncidentPolicy policy)
    {
        _policy = policy;
        _sla.Policy = policy;
        foreach (var incident in _index.All)
        {
            if (incident.Status == IncidentStatus.Resolved)
            {
                ScheduleClose(incident);
            }

            _sla.Schedule(incident);
        }
    }

    public int LiveCount => _index.Count;

    /// <summary>Open or acknowledged incidents; kept as a count so a metrics scrape never walks the decider.</summary>
    public int ActiveCount => _index.ActiveCount;

    public long LastId => _index.LastId;

    /// <summary>Objects in scheduled downtime; read by metrics scrapes on other threads.</summary>
    public int DowntimeCount => _downtimes.Count;

    /// <summary>Recoveries waiting for the problem they overtook; read by metrics scrapes on other threads.</summary>
    public int EarlyRecoveryCount => _earlyRecoveries.Count;

    /// <summary>New problems other instances saw in the last minute (scale-out: from the shared state, per batch).</summary>
    public int OtherInstancesStormRate
    {
        get => _correlator.Storm.OtherInstancesRate;
        set => _correlator.Storm.OtherInstancesRate = value;
    }

    /// <summary>New problems this instance saw in the minute ending at <paramref name="unixSeconds"/>.</summary>
    public int OwnStormRate(long unixSeconds) => _correlator.Storm.OwnRate(unixSeconds);

    /// <summary>Whether new problems are being collected into a storm incident now.</summary>
    public bool StormActive => _correlator.Storm.Active;

    /// <summary>Whether only the store can tell if this event id was applied (see <see cref="SeenEvents.IsUnknown"/>).</summary>
    public bool IsUnknown(Guid eventId) => _seen.IsUnknown(eventId);

    /// <summary>Applies one parsed notification.</summary>
    /// <param name="knownApplied">The store says this event id was applied before (from a batch look-up).</param>
    public ApplyOutcome Apply(ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, bool knownApplied, CommitPlan plan)
    {
        // An id the window does not hold was either new or settled by the store's look-up (knownApplied).
        if (knownApplied || !_seen.Remember(f.EventId))
        {
            return ApplyOutcome.Redelivered;
        }

        _now = now;
        if (f.Type is NotificationType.DowntimeStart or NotificationType.DowntimeEnd or NotificationType.DowntimeCancelled)
        {
            RememberDowntime(record, in f, plan);
        }

        var incident = _index.Find(record, in f, out var member);
        var outcome = member is not null ? ApplyToMember(incident!, member, record, in f, now, plan) : f.Type switch
        {
            NotificationType.Problem => Problem(incident, record, in f, now, plan),
            NotificationType.Recovery => Recovery(incident, record, in f, now, plan),
            NotificationType.Acknowledgement => Acknowledge(incident, record, in f, now, plan),
            NotificationType.FlappingStart => FlapStart(incident, record, in f, now, plan),
            NotificationType.FlappingStop or NotificationType.FlappingDisabled => FlapStop(incident, record, in f, now, plan),
            NotificationType.DowntimeStart => MaintenanceStart(incident, record, in f, now, plan),
            NotificationType.DowntimeEnd or NotificationType.DowntimeCancelled => MaintenanceEnd(incident, record, in f, now, plan),
            _ => Note(incident, record, in f, now, plan),
        };
        plan.Applied(new AppliedEvent(f.EventId, outcome.IncidentId, outcome.Outcome, now));
        return outcome.Outcome;
    }

    /// <summary>
    /// Runs the turn's decisions that no notification makes: incidents that failing alerts learned since the last turn
    /// explain are merged into them (see <c>MergeForLearnedCauses</c>); a storm ends when the rate has fallen; then, in
    /// the order they came due, flapping quiet periods end, SLA clocks escalate and breach, verification holds close.
    /// </summary>
    public void ApplyTimers(DateTimeOffset now, CommitPlan plan)
    {
        // Stale clock entries far outnumbering the live incidents' clocks: drop them (see DueClocks.Compact), at most
        // once a minute, so a queue that is large because much is live is not rebuilt on every tick.
        if (now >= _nextClockCompaction && _clocks.Count > (4 * _index.Count) + 4096)
        {
            _clocks.Compact(incident => _index.TryGet(incident.Id, out var live) && ReferenceEquals(live, incident));
            _nextClockCompaction = now + TimeSpan.FromMinutes(1);
        }

        _now = now;
        MergeForLearnedCauses(now, plan);
        _correlator.Storm.EndIfCalm(now, plan);
        while (_clocks.TryTakeDue(now, out var incident, out var clock, out var due))
        {
            switch (clock)
            {
                case Clock.FlapQuiet:
                    EndQuietPeriod(incident, now, plan);
                    break;
                case Clock.Close:
                    CloseIfDue(incident, now, plan);
                    break;
                default:
                    _sla.Run(incident, clock, due, now, plan);
                    break;
            }
        }
    }

    /// <summary>Closes a resolved incident whose verification hold has passed.</summary>
    private void CloseIfDue(IncidentState incident, DateTimeOffset now, CommitPlan plan)
    {
        // A reopened incident, or one resolved again later, has its own (later) entry or none.
        if (incident.Status != IncidentStatus.Resolved || incident.ResolvedAt!.Value + _policy.VerificationHold > now)
        {
            return;
        }

        incident.Close(now);
        plan.Append(incident, now, TimelineKind.Closed, null,
            $"Closed: no new problem during the verification hold of {Duration.Words(_policy.VerificationHold)}.");
        Forget(incident);
    }

    /// <summary>A live incident as stored (at start) or as another instance left it: indexed, counted, its clocks queued.</summary>
    private IncidentState Admit(IncidentRecord record)
    {
        var incident = new IncidentState(record, Fingerprint.Of(record.Instance, record.Host, record.Service), _names);
        _index.Add(incident, opened: false);
        if (incident.Status == IncidentStatus.Resolved)
        {
            ScheduleClose(incident);
        }

        if (incident.FlapQuietUntil is { } quietUntil)
        {
            _clocks.Schedule(incident, Clock.FlapQuiet, quietUntil);
        }

        _sla.Schedule(incident);
        return incident;
    }

    /// <summary>Takes a closed (or merged) incident out of the decider: its identity and members no longer lead to it.</summary>
    private void Forget(IncidentState incident)
    {
        Remember(incident.Id, incident.TimelineCount);
        _index.Remove(incident);
        _correlator.Groups.Forget(incident);
    }

    private static byte[] Utf8Of(ReadOnlySpan<byte> record, Utf8Slice slice) =>
        slice.Escaped ? System.Text.Encoding.UTF8.GetBytes(NotificationDecoder.Text(record, slice)) : slice.Of(record).ToArray();

    private long NextId() => _index.NextId(_policy.IdSlot, _policy.IdSlots);

    /// <summary>
    /// When clocks start for something Nagios reported at <paramref name="reported"/>: then, unless it arrived more than
    /// <see cref="IncidentPolicy.MaxReportAge"/> later; then at its arrival, with the sentence the timeline adds.
    /// </summary>
    private (DateTimeOffset At, string Why) ClockStartOf(DateTimeOffset reported, string what) =>
        _now - reported > _policy.MaxReportAge
            ? (_now, $" (Nagios reported it at {reported:yyyy-MM-dd HH:mm:ss} UTC, {Duration.Words(TimeSpan.FromSeconds(Math.Floor((_now - reported).TotalSeconds)))} before it arrived: {what} from its arrival)")
            : Believed(reported, what);

    /// <summary>
    /// When Nagios says something happened, unless that is in the future: a Nagios server whose clock runs ahead would
    /// start clocks that have not started yet and hold escalations back, so its time gives way to the arrival. (An old
    /// time is believed here: a notification delayed in the spool keeps when it happened.)
    /// </summary>
    private (DateTimeOffset At, string Why) Believed(DateTimeOffset reported, string what) =>
        reported - _now > AheadTolerance
            ? (_now, $" (Nagios reported it at {reported:yyyy-MM-dd HH:mm:ss} UTC, {Duration.Words(TimeSpan.FromSeconds(Math.Floor((reported - _now).TotalSeconds)))} after it arrived, so the Nagios server's clock is ahead: {what} from its arrival)")
            : (reported, "");

    /// <summary>How far ahead of the service's clock a report may be and still be believed: skew and whole seconds.</summary>
    private static readonly TimeSpan AheadTolerance = TimeSpan.FromMinutes(1);

    private void ScheduleClose(IncidentState incident) =>
        _clocks.Schedule(incident, Clock.Close, incident.ResolvedAt!.Value + _policy.VerificationHold);
}
