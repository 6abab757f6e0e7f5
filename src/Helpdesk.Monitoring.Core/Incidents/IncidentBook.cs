using System.Buffers;
using System.Runtime.CompilerServices;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The incidents that are not closed yet, and the decisions that change them. Pure state: no I/O, no clock of its own
/// (callers pass "now"), single-threaded. Every change lands in a <see cref="CommitPlan"/> for the store.
/// </summary>
public sealed partial class IncidentBook
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
    public IncidentBook(IncidentPolicy policy, IEnumerable<IncidentRecord> live, long lastId, long watermarkUnixMs)
    {
        _policy = policy;
        _latestBySpan = _latest.GetAlternateLookup<ReadOnlySpan<byte>>();
        _seen = new SeenEvents(policy.SeenEventCapacity, watermarkUnixMs);
        _lastId = lastId;
        foreach (var record in live.OrderBy(r => r.Id))
        {
            var incident = new IncidentState(record, Fingerprint.Of(record.Instance, record.Host, record.Service));
            _live[incident.Id] = incident;
            _latest[incident.Fingerprint] = incident;
            _lastId = Math.Max(_lastId, incident.Id);
            _active += incident.IsActive ? 1 : 0;
            if (incident.Status == IncidentStatus.Resolved)
            {
                ScheduleClose(incident);
            }

            if (incident.FlapQuietUntil is { } quietUntil)
            {
                _quietQueue.Enqueue(incident, quietUntil);
            }
        }
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
        var incident = Find(record, in f);
        var outcome = f.Type switch
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

    /// <summary>Runs the clock's decisions due by <paramref name="now"/>: flapping quiet periods end, verification holds close.</summary>
    public void ApplyTimers(DateTimeOffset now, CommitPlan plan)
    {
        EndQuietPeriods(now, plan);
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
            _live.Remove(incident.Id);
            if (_latest.TryGetValue(incident.Fingerprint, out var latest) && ReferenceEquals(latest, incident))
            {
                _latest.Remove(incident.Fingerprint);
            }
        }
    }

    private IncidentState? Find(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        Span<byte> key = stackalloc byte[StackKeyBytes];
        var length = Fingerprint.TryWrite(record, in f, key);
        return length < 0 ? FindSlow(record, in f) : _latestBySpan.TryGetValue(key[..length], out var found) ? found : null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private IncidentState? FindSlow(ReadOnlySpan<byte> record, in NotificationFields f)
    {
        var key = KeyOf(record, in f);
        return _latest.TryGetValue(key, out var found) ? found : null;
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

    private void ScheduleClose(IncidentState incident) =>
        _closeQueue.Enqueue(incident, incident.ResolvedAt!.Value + _policy.VerificationHold);
}
