using System.Diagnostics.CodeAnalysis;
using System.Text;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The live, mutable part of an incident inside <see cref="IncidentDecider"/>: only what decisions read or change.
/// Kept small on purpose (tens of thousands stay open in a storm); the store holds the rest.
/// </summary>
internal sealed partial class IncidentState
{
    /// <param name="names">Where the names come from: one string per distinct name, shared between incidents.</param>
    public IncidentState(IncidentRecord r, byte[] fingerprint, NameTable names)
    {
        Id = r.Id;
        Fingerprint = fingerprint;
        Status = r.Status;
        Priority = r.Priority;
        State = r.State;
        WorstState = r.WorstState;
        LastOutputUtf8 = Encoding.UTF8.GetBytes(r.LastOutput);
        AlertCount = r.AlertCount;
        CommittedAlertCount = r.AlertCount;
        CommittedStatus = r.Status;
        CommittedClosedAt = r.ClosedAt;
        LastSeenAt = r.LastSeenAt;
        AcknowledgedAt = r.AcknowledgedAt;
        AcknowledgedBy = r.AcknowledgedBy;
        AcknowledgementComment = r.AcknowledgementComment;
        ResolvedAt = r.ResolvedAt;
        ClosedAt = r.ClosedAt;
        ReopenCount = r.ReopenCount;
        UpdatedAt = r.UpdatedAt;
        TimelineCount = r.TimelineCount;
        ProblemId = r.ProblemId;
        Flapping = r.Flapping;
        FlapCount = r.FlapCount;
        FlapQuietUntil = r.FlapQuietUntil;
        InMaintenance = r.InMaintenance;
        Instance = names.Share(r.Instance);
        Host = names.Share(r.Host);
        Service = names.Share(r.Service);
        _openedAt = CompactInstant.Of(r.OpenedAt);
        if (r.CorrelationRule.Length > 0 || r.CorrelationKey.Length > 0)
        {
            var work = Work(keep: true)!;
            (work.CorrelationRule, work.CorrelationKey) = (names.Share(r.CorrelationRule), r.CorrelationKey);
        }

        MergedInto = r.MergedInto;
        Tier = names.Share(r.Tier);
        Sla = r.Sla with { Calendar = names.Share(r.Sla.Calendar) };
        Team = names.Share(r.Team);
        Customer = names.Share(r.Customer);
        AssignedTo = r.AssignedTo;
        Title = r.Title;
        ResolutionCause = r.ResolutionCause;
        ResolutionFix = r.ResolutionFix;
    }

    // What people add to an incident (acknowledgement, assignee, resolution, notes), what correlation adds (members,
    // the rule, a merge) and the customer's update clock are rare next to the fields every notification reads: kept
    // apart, made only when first set, so the state stays small (10,000s stay open in a storm, and the repeat path
    // reads them from memory, not cache).
    private IncidentWork? _work;

    // The instants, 8 bytes each instead of a DateTimeOffset's 16 or a nullable one's 24 (see CompactInstant).
    private readonly CompactInstant _openedAt;
    private CompactInstant _committedClosedAt;
    private CompactInstant _lastSeenAt;
    private CompactInstant _acknowledgedAt;
    private CompactInstant _resolvedAt;
    private CompactInstant _closedAt;
    private CompactInstant _updatedAt;
    private CompactInstant _flapQuietUntil;

    public string AssignedTo
    {
        get => _work?.AssignedTo ?? "";
        set => Work(value.Length > 0)?.AssignedTo = value;
    }

    /// <summary>The title as last made: a storm's keeps its own; one with a cause is made again from its state and scope while it fails.</summary>
    public string Title { get; private set; }

    // What Title was last made for (state, flapping, members); -1: not known, make it at the next look.
    private int _titleKey = -1;

    /// <summary>A new incident's title is already the one its state and (no) members make: no need to make it again.</summary>
    public void TitleIsCurrent() => _titleKey = ((int)State << 24) | (Flapping ? 1 << 23 : 0);

    /// <summary>
    /// What an L1 agent reads first: the cause's current state, and what else the incident holds ("db01 is DOWN:
    /// 40 hosts unreachable (+3 services)", "fs01 / Disk is CRITICAL (+2 alerts)"). Once its cause recovered it keeps
    /// the title it had while failing: a resolved incident still says what went wrong.
    /// </summary>
    public string CurrentTitle()
    {
        if (!HasCause || (!Flapping && NagiosNames.IsHealthy(State)))
        {
            return Title;
        }

        // Made again only when what it says changed: most updates change neither the state nor the scope.
        var key = ((int)State << 24) | (Flapping ? 1 << 23 : 0) | Math.Min(MemberCount, (1 << 23) - 1);
        if (key == _titleKey)
        {
            return Title;
        }

        _titleKey = key;

        var state = Flapping ? "flapping" : NagiosNames.Of(State);
        var (hosts, services) = (HostMembers, ServiceMembers);
        var others = hosts + services;
        Title = Service.Length > 0
            ? others == 0 ? $"{Host} / {Service} is {state}" : $"{Host} / {Service} is {state} (+{others} alert{(others == 1 ? "" : "s")})"
            : $"{Host} is {state}{(hosts > 0 ? $": {hosts} host{(hosts == 1 ? "" : "s")} unreachable" : "")}"
                + (services > 0 ? $" (+{services} service{(services == 1 ? "" : "s")})" : "");
        return Title;
    }

    public string ResolutionCause
    {
        get => _work?.ResolutionCause ?? "";
        set => Work(value.Length > 0)?.ResolutionCause = value;
    }

    public string ResolutionFix
    {
        get => _work?.ResolutionFix ?? "";
        set => Work(value.Length > 0)?.ResolutionFix = value;
    }

    /// <summary>
    /// The distinct hosts and customers the incident holds, with <paramref name="joined"/> added: counted from every
    /// alert the first time (after a start, or the first join), then kept up one join at a time.
    /// </summary>
    public (int Hosts, int Customers) Scope(ReadOnlySpan<MemberState> joined)
    {
        var work = Work(keep: true)!;
        if (work.ScopeHosts is null || work.ScopeCustomers is null)
        {
            work.StartScope(Host, Customer);
            foreach (var member in Members?.Values ?? Enumerable.Empty<MemberState>())
            {
                work.Count(member);
            }

            return (work.ScopeHosts.Count, work.ScopeCustomers.Count);
        }

        foreach (var member in joined)
        {
            work.Count(member);
        }

        return (work.ScopeHosts.Count, work.ScopeCustomers.Count);
    }

    /// <summary>The side object, made when a value worth keeping arrives; null while there is none and nothing to keep.</summary>
    private IncidentWork? Work(bool keep) => keep ? _work ??= new IncidentWork() : _work;

    /// <summary>Never changes after opening; kept so that what happens to the incident can be routed to people.</summary>
    public string Team { get; }

    /// <summary>Never changes after opening; kept for routing, like <see cref="Team"/>.</summary>
    public string Customer { get; }

    public string Instance { get; }
    public string Host { get; }

    /// <summary>Empty for a host incident; a storm incident has no host of its own (<see cref="HasCause"/> is false).</summary>
    public string Service { get; }
    public DateTimeOffset OpenedAt => _openedAt.Required;
    public string CorrelationRule => _work?.CorrelationRule ?? "";
    public string CorrelationKey => _work?.CorrelationKey ?? "";

    public long? MergedInto
    {
        get => _work?.MergedInto;
        set => Work(value is not null)?.MergedInto = value;
    }

    public string Tier { get; set; }
    public IncidentSla Sla { get; set; }

    /// <summary>Alerts correlated into this incident besides its cause, by fingerprint; null until the first joins.</summary>
    public Dictionary<byte[], MemberState>? Members
    {
        get => _work?.Members;
        set => Work(value is not null)?.Members = value;
    }

    /// <summary>Whether the incident is about one alert of its own (its cause); a storm incident only collects members.</summary>
    public bool HasCause => Host.Length > 0;

    public int MemberCount => Members?.Count ?? 0;

    /// <summary>Members that are hosts, and members that are services: counted as they join (a member never leaves), for the title.</summary>
    public int HostMembers => _work?.HostMembers ?? 0;

    public int ServiceMembers => _work?.ServiceMembers ?? 0;

    /// <summary>A new member joined (<see cref="Members"/> holds it now).</summary>
    public void Counted(MemberState member)
    {
        var work = Work(keep: true)!;
        if (member.Service.Length == 0)
        {
            work.HostMembers++;
        }
        else
        {
            work.ServiceMembers++;
        }
    }

    public long Id { get; }
    public byte[] Fingerprint { get; }
    public IncidentStatus Status { get; set; }
    public Priority Priority { get; set; }
    public AlertState State { get; set; }
    public AlertState WorstState { get; set; }

    /// <summary>The latest output as UTF-8: compared with wire bytes to recognise a repeat without making a string.</summary>
    public byte[] LastOutputUtf8
    {
        get => _lastOutputUtf8;
        set
        {
            _lastOutputUtf8 = value;
            _lastOutputText = null;
        }
    }

    private byte[] _lastOutputUtf8 = [];

    // The new output as text, when the decider made it for the timeline: the next sealed plan's row takes it instead
    // of decoding the bytes again, and drops it, so an incident at rest keeps only the bytes.
    private string? _lastOutputText;

    /// <summary>A new output, with the text the decider already made of it.</summary>
    public void NewOutput(byte[] utf8, string text)
    {
        _lastOutputUtf8 = utf8;
        _lastOutputText = text;
    }

    public long AlertCount { get; set; }

    /// <summary>The count at the last sealed plan (or when loaded): the next plan adds the difference.</summary>
    public long CommittedAlertCount { get; set; }

    /// <summary>The status and closed time at the last sealed plan (or when loaded): an update that keeps both says so.</summary>
    public IncidentStatus CommittedStatus { get; set; }

    public DateTimeOffset? CommittedClosedAt { get => _committedClosedAt.Value; set => _committedClosedAt = CompactInstant.Of(value); }
    public DateTimeOffset LastSeenAt { get => _lastSeenAt.Required; set => _lastSeenAt = CompactInstant.Of(value); }
    public DateTimeOffset? AcknowledgedAt { get => _acknowledgedAt.Value; set => _acknowledgedAt = CompactInstant.Of(value); }

    public string AcknowledgedBy
    {
        get => _work?.AcknowledgedBy ?? "";
        set => Work(value.Length > 0)?.AcknowledgedBy = value;
    }

    public string AcknowledgementComment
    {
        get => _work?.AcknowledgementComment ?? "";
        set => Work(value.Length > 0)?.AcknowledgementComment = value;
    }

    public DateTimeOffset? ResolvedAt { get => _resolvedAt.Value; set => _resolvedAt = CompactInstant.Of(value); }
    public DateTimeOffset? ClosedAt { get => _closedAt.Value; set => _closedAt = CompactInstant.Of(value); }
    public int ReopenCount { get; set; }
    public DateTimeOffset UpdatedAt { get => _updatedAt.Required; set => _updatedAt = CompactInstant.Of(value); }
    public int TimelineCount { get; set; }
    public string LastNote
    {
        get => _work?.LastNote ?? "";
        set => Work(value.Length > 0)?.LastNote = value;
    }

    /// <summary>When the customer's next status update is due (the one entry in the clocks that counts); kept in memory only.</summary>
    public DateTimeOffset? CustomerUpdateDue
    {
        get => _work?.CustomerUpdateDue;
        set => Work(value is not null)?.CustomerUpdateDue = value;
    }

    /// <summary>Nagios' problem id of the episode that opened (or reopened) the incident; empty when Nagios sent none.</summary>
    public string ProblemId { get; set; }

    public bool Flapping { get; set; }

    public bool InMaintenance { get; set; }

    public int FlapCount { get; set; }

    public DateTimeOffset? FlapQuietUntil { get => _flapQuietUntil.Value; set => _flapQuietUntil = CompactInstant.Of(value); }

    /// <summary>Held open by flapping, or by the quiet period after it: recoveries are recorded but do not resolve.</summary>
    public bool HeldByFlapping => Flapping || FlapQuietUntil is not null;

    /// <summary>What changed since the last sealed plan.</summary>
    public ChangeKind Pending { get; set; }

    public bool IsActive => Status is IncidentStatus.Open or IncidentStatus.Acknowledged;

    /// <summary>Its own alert failing now: the incident is open or acknowledged, and its last state is not OK or UP.</summary>
    public bool IsFailing => IsActive && !NagiosNames.IsHealthy(State);

    public string LastOutput => _lastOutputText ?? Encoding.UTF8.GetString(_lastOutputUtf8);

    /// <summary>The incident's mutable columns as they stand, in one allocation (a `with` on it would copy it again).</summary>
    public IncidentChange ToChange(long alertsAdded = 0, bool keepsStatus = false) => new(
        Id, Status, Priority, State, WorstState, TakeLastOutput(), AlertCount, LastSeenAt, AcknowledgedAt, AcknowledgedBy,
        AcknowledgementComment, ResolvedAt, ClosedAt, ReopenCount, UpdatedAt, TimelineCount, Flapping, FlapCount, FlapQuietUntil, InMaintenance,
        Tier, MergedInto, Sla)
    {
        AlertsAdded = alertsAdded,
        KeepsStatus = keepsStatus,
        Title = CurrentTitle(),
        AssignedTo = AssignedTo,
        ResolutionCause = ResolutionCause,
        ResolutionFix = ResolutionFix,
    };

    private string TakeLastOutput()
    {
        var text = LastOutput;
        _lastOutputText = null;
        return text;
    }
}

/// <summary>How much of an incident a batch changed: counters only, or its mutable columns.</summary>
internal enum ChangeKind : byte
{
    None = 0,
    Counters,
    Mutable,
}

/// <summary>The rarely set part of an incident's live state (see <see cref="IncidentState"/>).</summary>
internal sealed class IncidentWork
{
    public string AssignedTo { get; set; } = "";

    public string LastNote { get; set; } = "";

    public string CorrelationRule { get; set; } = "";

    public string CorrelationKey { get; set; } = "";

    public long? MergedInto { get; set; }

    public Dictionary<byte[], MemberState>? Members { get; set; }

    public int HostMembers { get; set; }

    public int ServiceMembers { get; set; }

    public string AcknowledgedBy { get; set; } = "";

    public string AcknowledgementComment { get; set; } = "";

    public string ResolutionCause { get; set; } = "";

    public string ResolutionFix { get; set; } = "";

    public DateTimeOffset? CustomerUpdateDue { get; set; }

    /// <summary>The distinct hosts and customers the incident holds (priority.scope), kept up as alerts join once first counted.</summary>
    public HashSet<string>? ScopeHosts { get; private set; }

    public HashSet<string>? ScopeCustomers { get; private set; }

    [MemberNotNull(nameof(ScopeHosts), nameof(ScopeCustomers))]
    public void StartScope(string host, string customer)
    {
        (ScopeHosts, ScopeCustomers, _lastHost) = ([host], customer.Length > 0 ? [customer] : [], host);
    }

    /// <summary>Adds one alert's host and customer to the scope sets (made by then).</summary>
    public void Count(MemberState member)
    {
        // A host's services join one after another: the same host again needs no look-up.
        if (!string.Equals(member.Host, _lastHost, StringComparison.Ordinal))
        {
            ScopeHosts!.Add(member.Host);
            _lastHost = member.Host;
        }

        if (member.Customer.Length > 0)
        {
            ScopeCustomers!.Add(member.Customer);
        }
    }

    private string? _lastHost;
}
