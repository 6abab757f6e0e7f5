using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// An alert that correlation put into an incident caused by another (a service on a DOWN host, an UNREACHABLE child
/// of a DOWN parent, a member of a time-window group or of a storm), as stored. Every column is an absolute value, so
/// writing the same member twice changes nothing.
/// </summary>
public sealed record AlertMember(
    long IncidentId, string Instance, string Host, string Service, string Rule, string Key, AlertState State, bool Recovered,
    string ProblemId, long AlertCount, DateTimeOffset JoinedAt, DateTimeOffset LastSeenAt, string LastOutput)
{
    public string Name => Service.Length == 0 ? Host : $"{Host}/{Service}";

    /// <summary>The customer the alert belongs to (what priority.scope counts); empty when none was named.</summary>
    public string Customer { get; init; } = "";
}

/// <summary>The live form of <see cref="AlertMember"/> inside the decider.</summary>
internal sealed class MemberState
{
    public MemberState(AlertMember m, byte[] fingerprint)
    {
        IncidentId = m.IncidentId;
        Fingerprint = fingerprint;
        Instance = m.Instance;
        Host = m.Host;
        Service = m.Service;
        Rule = m.Rule;
        Key = m.Key;
        State = m.State;
        Recovered = m.Recovered;
        ProblemId = m.ProblemId;
        AlertCount = m.AlertCount;
        JoinedAt = m.JoinedAt;
        LastSeenAt = m.LastSeenAt;
        LastOutput = m.LastOutput;
        Customer = m.Customer;
    }

    public string Customer { get; }

    public long IncidentId { get; }
    public byte[] Fingerprint { get; }
    public string Instance { get; }
    public string Host { get; }
    public string Service { get; }
    public string Rule { get; }
    public string Key { get; }
    public AlertState State { get; set; }
    public bool Recovered { get; set; }
    public string ProblemId { get; set; }
    public long AlertCount { get; set; }
    public DateTimeOffset JoinedAt { get; }
    public DateTimeOffset LastSeenAt { get; set; }
    public string LastOutput { get; set; }

    /// <summary>Failing now: not recovered, and its last state is not OK or UP.</summary>
    public bool IsFailing => !Recovered && !NagiosNames.IsHealthy(State);

    public string Name => Service.Length == 0 ? Host : $"{Host}/{Service}";

    public AlertMember ToRecord() => new(IncidentId, Instance, Host, Service, Rule, Key, State, Recovered, ProblemId, AlertCount, JoinedAt, LastSeenAt, LastOutput)
    {
        Customer = Customer,
    };
}
