using System.Buffers;
using System.Runtime.CompilerServices;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The incidents that are not closed yet, and the decisions that change them. Pure state: no I/O, no clock of its own
/// (callers pass "now"), single-threaded. Every change lands in a <see cref="CommitPlan"/> for the store.
/// </summary>
public sealed partial class IncidentBook : ICauseIndex
{
    private const int StackKeyBytes = 256;

    private readonly IncidentPolicy _policy;
    private readonly Dictionary<long, IncidentState> _live = [];
    private readonly Dictionary<byte[], IncidentState> _latest = new(FingerprintComparer.Instance);
    private readonly Dictionary<byte[], IncidentState>.AlternateLookup<ReadOnlySpan<byte>> _latestBySpan;
    private readonly PriorityQueue<IncidentState, DateTimeOffset> _closeQueue = new();
    private readonly SeenEvents _seen;
    private long _lastId;
    private int _active;

    /// <param name="live">Every incident that is not closed, as the store holds it.</param>
    /// <param name="lastId">The highest incident id ever used.</param>
    /// <param name="watermarkUnixMs">Event ids created before this are checked against the store.</param>
    /// <param name="members">The correlated alerts of the live incidents.</param>
    public IncidentBook(IncidentPolicy policy, IEnumerable<IncidentRecord> live, long lastId, long watermarkUnixMs, IEnumerable<AlertMember>? members = null)
    {
        _policy = policy;
        _latestBySpan = _latest.GetAlternateLookup<ReadOnlySpan<byte>>();
        _seen = new SeenEvents(policy.SeenEventCapacity, watermarkUnixMs);
        _lastId = lastId;
        foreach (var record in live.OrderBy(r => r.Id))
        {
            Admit(record);

            // A storm is not resumed after a restart: whether it had ended is not kept, and if the rate is still high
            // the next problems start a new one (the earlier storm incident stays until what it collected recovers).
        }

        foreach (var member in members ?? [])
        {
            if (_live.TryGetValue(member.IncidentId, out var incident))
            {
                AttachMember(incident, new MemberState(member, Fingerprint.Of(member.Instance, member.Host, member.Service)));
            }
        }

        RegisterGroups();
    }

    public int LiveCount => _live.Count;

    /// <summary>Open or acknowledged incidents; kept as a count so a metrics scrape never walks the book.</summary>
    public int ActiveCount => Volatile.Read(ref _active);

    public long LastId => _lastId;

    public EventIdClass Classify(Guid eventId) => _seen.Classify(eventId);

    /// <summary>Applies one parsed notification.</summary>
    /// <param name="knownApplied">The store says this event id was applied before (from a batch look-up).</param>
    public ApplyOutcome Apply(ReadOnlySpan<byte> record, in NotificationFields f, DateTimeOffset now, bool knownApplied, CommitPlan plan)
    {
        if (knownApplied || _seen.Classify(f.EventId) == EventIdClass.Seen)
        {
            return ApplyOutcome.Redelivered;
        }

        _seen.Remember(f.EventId);
        var incident = Find(record, in f, out var member);
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
    /// Runs the clock's decisions due by <paramref name="now"/>: flapping quiet periods end, SLA clocks escalate and
    /// breach, a storm ends when the rate has fallen, verification holds close.
    /// </summary>
    public void ApplyTimers(DateTimeOffset now, CommitPlan plan)
    {
        EndQuietPeriods(now, plan);
        RunSlaClocks(now, plan);
        EndStormIfCalm(now, plan);
        CloseDue(now, plan);
    }

    /// <summary>Closes every resolved incident whose verification hold has passed.</summary>
    private void CloseDue(DateTimeOffset now, CommitPlan plan)
    {
        while (_closeQueue.TryPeek(out var incident, out var due) && due <= now)
        {
            _closeQueue.Dequeue();

            // A reopened incident, or one resolved again later, has its own (later) entry or none.
            if (incident.Status != IncidentStatus.Resolved || incident.ResolvedAt!.Value + _policy.VerificationHold > now)
            {
                continue;
            }

            incident.Status = IncidentStatus.Closed;
            incident.ClosedAt = now;
            incident.UpdatedAt = now;
            plan.Append(incident, now, TimelineKind.Closed, null,
                $"Closed: no new problem during the verification hold of {_policy.VerificationHold.TotalMinutes:0.#} minutes.");
            Forget(incident);
        }
    }

    /// <summary>A live incident as stored (at start) or as another instance left it: indexed, counted, its clocks queued.</summary>
    private IncidentState Admit(IncidentRecord record)
    {
        var incident = new IncidentState(record, Fingerprint.Of(record.Instance, record.Host, record.Service));
        _live[incident.Id] = incident;

        LeadTo(incident.Fingerprint, incident);
        _lastId = Math.Max(_lastId, incident.Id);
        if (incident.IsActive)
        {
            Interlocked.Increment(ref _active);
        }

        if (incident.Status == IncidentStatus.Resolved)
        {
            ScheduleClose(incident);
        }

        if (incident.FlapQuietUntil is { } quietUntil)
        {
            _quietQueue.Enqueue(incident, quietUntil);
        }

        IndexByHost(incident);
        ScheduleSla(incident);
        return incident;
    }

    /// <summary>
    /// Lets an identity lead to this incident unless it leads to a better one already: an active incident beats a
    /// resolved one waiting to close, and among equals the newer wins (incidents arrive in no particular order when
    /// another instance's copies are absorbed).
    /// </summary>
    private void LeadTo(byte[] fingerprint, IncidentState incident)
    {
        if (!_latest.TryGetValue(fingerprint, out var current) || (incident.IsActive && !current.IsActive)
            || (incident.IsActive == current.IsActive && current.Id <= incident.Id))
        {
            _latest[fingerprint] = incident;
        }
    }

    /// <summary>Takes a closed (or merged) incident out of the book: its identity and members no longer lead to it.</summary>
    private void Forget(IncidentState incident)
    {
        Remember(incident.Id, incident.TimelineCount);
        _live.Remove(incident.Id);
        ForgetIdentity(incident.Fingerprint, incident);
        foreach (var member in incident.Members?.Values ?? Enumerable.Empty<MemberState>())
        {
            ForgetIdentity(member.Fingerprint, incident);
        }

        UnindexByHost(incident);
        if (GroupIdOf(incident) is { } id && _groups.TryGetValue(id, out var group) && ReferenceEquals(group, incident))
        {
            _groups.Remove(id);
        }
    }

    private void ForgetIdentity(byte[] fingerprint, IncidentState incident)
    {
        if (_latest.TryGetValue(fingerprint, out var latest) && ReferenceEquals(latest, incident))
        {
            _latest.Remove(fingerprint);
        }
    }

    /// <summary>The incident an alert identity leads to, and the member it is there when it is not the cause.</summary>
    private IncidentState? Find(ReadOnlySpan<byte> record, in NotificationFields f, out MemberState? member)
    {
        member = null;
        Span<byte> key = stackalloc byte[StackKeyBytes];
        var length = Fingerprint.TryWrite(record, in f, key);
        if (length < 0)
        {
            return FindSlow(record, in f, out member);
        }

        if (!_latestBySpan.TryGetValue(key[..length], out var found))
        {
            return null;
        }

        if (found.Members is { } members)
        {
            members.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key[..length], out member);
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private IncidentState? FindSlow(ReadOnlySpan<byte> record, in NotificationFields f, out MemberState? member)
    {
        member = null;
        var key = KeyOf(record, in f);
        if (!_latest.TryGetValue(key, out var found))
        {
            return null;
        }

        found.Members?.TryGetValue(key, out member);
        return found;
    }

    private static byte[] KeyOf(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Fingerprint.MaxLength);
        try
        {
            var length = Fingerprint.TryWrite(record, in f, rented);
            return length >= 0
                ? rented.AsSpan(0, length).ToArray()
                : Fingerprint.Of(NotificationDecoder.Text(record, f.Instance), NotificationDecoder.Text(record, f.Host), NotificationDecoder.Text(record, f.Service));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static byte[] Utf8Of(ReadOnlySpan<byte> record, Utf8Slice slice) =>
        slice.Escaped ? System.Text.Encoding.UTF8.GetBytes(NotificationDecoder.Text(record, slice)) : slice.Of(record).ToArray();

    /// <summary>The next id in this instance's slot (see <see cref="IncidentPolicy.IdSlot"/>), above every id seen.</summary>
    private long NextId()
    {
        var next = _lastId + 1;
        next += ((_policy.IdSlot - (next % _policy.IdSlots)) + _policy.IdSlots) % _policy.IdSlots;
        _lastId = next;
        return next;
    }

    private void ScheduleClose(IncidentState incident) =>
        _closeQueue.Enqueue(incident, incident.ResolvedAt!.Value + _policy.VerificationHold);
}
