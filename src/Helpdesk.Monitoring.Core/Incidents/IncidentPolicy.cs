using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>Lifecycle settings, the rules file and the topology the decider decides with.</summary>
public sealed record IncidentPolicy
{
    /// <summary>How long a resolved incident waits, for verification, before it is closed (ITIL: verify before closure).</summary>
    public TimeSpan VerificationHold { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A PROBLEM this soon after the resolve reopens the incident instead of opening a new one.</summary>
    public TimeSpan ReopenWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>After flapping stops, how long the state must stay quiet before it applies (a recovery then resolves).</summary>
    public TimeSpan FlapQuietPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A notification Nagios reported longer ago than this when it arrives (a replayed spool, a backlog, a Nagios with a
    /// wrong clock) starts its SLA clocks and verification hold at its arrival, not at Nagios' time: an incident is not
    /// born breached at L3, nor closed the moment it resolves. The timeline says so.
    /// </summary>
    public TimeSpan MaxReportAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Event ids kept in memory for redelivery checks; older ones are checked against the store.</summary>
    public int SeenEventCapacity { get; init; } = 65_536;

    /// <summary>Priority, category and routing rules (the rules file); the defaults without one.</summary>
    public HelpdeskRules Rules { get; init; } = HelpdeskRules.Default;

    /// <summary>Parents and dependencies from Nagios' objects.cache; empty unless a path is configured.</summary>
    public LiveTopology Topology { get; init; } = new();

    /// <summary>This policy with the rules file's lifecycle settings (its "dedup" section) applied.</summary>
    public IncidentPolicy WithRules(HelpdeskRules rules) => this with
    {
        Rules = rules,
        ReopenWindow = rules.Dedup?.ReopenWindow ?? ReopenWindow,
        FlapQuietPeriod = rules.Dedup?.FlapQuietPeriod ?? FlapQuietPeriod,
        VerificationHold = rules.Dedup?.VerificationHold ?? VerificationHold,
    };

    /// <summary>
    /// Incident ids this instance allocates are those with id % <see cref="IdSlots"/> == <see cref="IdSlot"/>: several
    /// instances sharing a store (scale-out) never pick the same id. One instance: slot 0 of 1 (every id).
    /// </summary>
    public int IdSlot { get; init; }

    public int IdSlots { get; init; } = 1;

    /// <summary>Names a problem in the policy, or null when it is valid.</summary>
    public string? Validate()
    {
        if (VerificationHold < TimeSpan.Zero)
        {
            return "VerificationHold must not be negative";
        }

        if (FlapQuietPeriod < TimeSpan.Zero)
        {
            return "FlapQuietPeriod must not be negative";
        }

        if (ReopenWindow < TimeSpan.Zero)
        {
            return "ReopenWindow must not be negative";
        }

        if (MaxReportAge < TimeSpan.FromMinutes(1))
        {
            return "MaxReportAge must be at least one minute";
        }

        if (IdSlots < 1 || IdSlot < 0 || IdSlot >= IdSlots)
        {
            return "IdSlot must be at least 0 and below IdSlots (at least 1)";
        }

        return SeenEventCapacity < 1 ? "SeenEventCapacity must be at least 1" : null;
    }
}
