using System.Buffers;
using System.Runtime.CompilerServices;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The live incidents and every way to find one: by id, by the alert identity that leads to it (its cause's or a
/// member's), and by host for merging. The one owner of these look-ups, of the active count and of the highest id:
/// they change together or not at all.
/// </summary>
internal sealed class IncidentIndex : ICauseIndex
{
    private const int StackKeyBytes = 256;

    private readonly Dictionary<long, IncidentState> _live = [];
    private readonly Dictionary<byte[], IncidentState> _latest = new(FingerprintComparer.Instance);
    private readonly Dictionary<byte[], IncidentState>.AlternateLookup<ReadOnlySpan<byte>> _latestBySpan;

    /// <summary>Live incidents caused by an alert of each host (instance + host), for merging when the host goes down.</summary>
    private readonly Dictionary<HostKey, List<IncidentState>> _byHost = [];

    // A few host incidents per instance, for the rule that correlates UNREACHABLE hosts without a topology; entries
    // that closed stay until pushed out (the rule checks that what it finds is still live and failing).
    private const int RecentHostsKept = 8;
    private readonly Dictionary<string, List<IncidentState>> _recentHosts = new(StringComparer.Ordinal);
    private readonly Func<NagiosTopology> _topology;
    private long _lastId;
    private int _active;

    public IncidentIndex(long lastId, Func<NagiosTopology> topology)
    {
        _lastId = lastId;
        _topology = topology;
        _latestBySpan = _latest.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _live.Count;

    /// <summary>Open or acknowledged incidents; kept as a count so a metrics scrape never walks the index.</summary>
    public int ActiveCount => Volatile.Read(ref _active);

    public long LastId => _lastId;

    public IEnumerable<IncidentState> All => _live.Values;

    public NagiosTopology Topology => _topology();

    public bool TryGet(long id, out IncidentState incident) => _live.TryGetValue(id, out incident!);

    public IncidentState this[long id] => _live[id];

    /// <summary>
    /// Adds an incident. A new one (<paramref name="opened"/>) takes its identity outright; one loaded or absorbed
    /// takes it only when it is the better lead (see <see cref="LeadTo"/>).
    /// </summary>
    public void Add(IncidentState incident, bool opened)
    {
        _live[incident.Id] = incident;
        if (opened)
        {
            _latest[incident.Fingerprint] = incident;
        }
        else
        {
            LeadTo(incident.Fingerprint, incident);
        }

        _lastId = Math.Max(_lastId, incident.Id);
        if (incident.IsActive)
        {
            Activated();
        }

        if (incident.HasCause && incident.Service.Length == 0)
        {
            RememberHostIncident(incident);
        }

        if (incident.HasCause)
        {
            var id = new HostKey(incident.Instance, incident.Host);
            if (!_byHost.TryGetValue(id, out var list))
            {
                _byHost[id] = list = [];
            }

            list.Add(incident);
        }
    }

    /// <summary>Takes a closed (or merged, or replaced) incident out: its identity and members no longer lead to it.</summary>
    public void Remove(IncidentState incident)
    {
        _live.Remove(incident.Id);
        ForgetIdentity(incident.Fingerprint, incident);
        foreach (var member in incident.Members?.Values ?? Enumerable.Empty<MemberState>())
        {
            ForgetIdentity(member.Fingerprint, incident);
        }

        var id = new HostKey(incident.Instance, incident.Host);
        if (_byHost.TryGetValue(id, out var list) && list.Remove(incident) && list.Count == 0)
        {
            _byHost.Remove(id);
        }
    }

    /// <summary>An incident became open or acknowledged again.</summary>
    public void Activated() => Interlocked.Increment(ref _active);

    /// <summary>An incident left open or acknowledged (resolved, merged, replaced).</summary>
    public void Deactivated() => Interlocked.Decrement(ref _active);

    /// <summary>Puts a member into its incident; a member this instance decided leads there outright.</summary>
    public void Attach(IncidentState incident, MemberState member, bool decidedHere)
    {
        var members = incident.Members ??= new Dictionary<byte[], MemberState>(FingerprintComparer.Instance);
        if (members.TryAdd(member.Fingerprint, member))
        {
            incident.Counted(member);
        }
        else
        {
            members[member.Fingerprint] = member;
        }

        if (decidedHere)
        {
            _latest[member.Fingerprint] = incident;
        }
        else
        {
            LeadTo(member.Fingerprint, incident);
        }
    }

    public void ForgetIdentity(byte[] fingerprint, IncidentState incident)
    {
        if (_latest.TryGetValue(fingerprint, out var latest) && ReferenceEquals(latest, incident))
        {
            _latest.Remove(fingerprint);
        }
    }

    /// <summary>The highest id seen grows with incidents other instances opened.</summary>
    public void Saw(long id) => _lastId = Math.Max(_lastId, id);

    /// <summary>The next id in this instance's slot (see <see cref="IncidentPolicy.IdSlot"/>), above every id seen.</summary>
    public long NextId(int slot, int slots)
    {
        var next = _lastId + 1;
        next += ((slot - (next % slots)) + slots) % slots;
        _lastId = next;
        return next;
    }

    /// <summary>The incident an alert identity leads to, and the member it is there when it is not the cause.</summary>
    public IncidentState? Find(ReadOnlySpan<byte> record, in NotificationFields f, out MemberState? member)
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

    /// <summary>The active incident in which this alert is failing (as cause or member), if any.</summary>
    public IncidentState? FailingIncidentOf(string instance, string host, string service)
    {
        var fingerprint = Fingerprint.Of(instance, host, service);
        if (!_latest.TryGetValue(fingerprint, out var incident) || !incident.IsActive)
        {
            return null;
        }

        if (incident.Members is { } members && members.TryGetValue(fingerprint, out var member))
        {
            return member.IsFailing ? incident : null;
        }

        return NagiosNames.IsHealthy(incident.State) ? null : incident;
    }

    /// <summary>The latest host incidents of an instance, newest (by Nagios' time) last.</summary>
    public IReadOnlyList<IncidentState> RecentHostIncidents(string instance) =>
        _recentHosts.TryGetValue(instance, out var recent) ? recent : [];

    private void RememberHostIncident(IncidentState incident)
    {
        if (!_recentHosts.TryGetValue(incident.Instance, out var recent))
        {
            _recentHosts[incident.Instance] = recent = new List<IncidentState>(RecentHostsKept);
        }

        // Kept in Nagios' time order; a new incident is almost always the newest, so this rarely moves anything.
        var at = recent.Count;
        while (at > 0 && recent[at - 1].OpenedAt > incident.OpenedAt)
        {
            at--;
        }

        recent.Insert(at, incident);
        if (recent.Count > RecentHostsKept)
        {
            recent.RemoveAt(0);
        }
    }

    /// <summary>The live incidents caused by an alert of this host (a copy: merging changes the index).</summary>
    public IncidentState[] CausedOn(string instance, string host) =>
        _byHost.TryGetValue(new HostKey(instance, host), out var incidents) ? [.. incidents] : [];

    /// <summary>The identity of a notification's alert as a key that outlives the record.</summary>
    public static byte[] KeyOf(ReadOnlySpan<byte> record, in NotificationFields f)
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

    /// <summary>A Nagios instance's host: the incidents of its alerts are merged when it goes down.</summary>
    private readonly record struct HostKey(string Instance, string Host);
}
