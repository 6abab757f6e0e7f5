using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>What a person (or the service itself) does to an incident through the API, the board or the CLI.</summary>
public enum AgentActionKind : byte
{
    Acknowledge = 1,

    /// <summary>Resolve by hand, with the cause and the fix: the only way an incident under the "manual" resolve policy resolves.</summary>
    Resolve,

    /// <summary>A note on the timeline, from the service itself (for example: Nagios could not be told of an acknowledgement).</summary>
    Note,

    /// <summary>Give the incident to a person (<see cref="AgentAction.Assignee"/>).</summary>
    Assign,

    /// <summary>A person's note: internal, or for the customer (<see cref="AgentAction.ForCustomer"/>).</summary>
    Comment,

    /// <summary>Set the priority (<see cref="AgentAction.Priority"/>), with the reason in the comment.</summary>
    Prioritize,

    /// <summary>Open a resolved incident again: the fix did not hold.</summary>
    Reopen,

    /// <summary>The customer confirmed the fix: a resolved incident closes now instead of after the verification hold.</summary>
    Confirm,
}

/// <summary>
/// A person's action on an incident. <see cref="Id"/> makes it idempotent like a notification's event id: the same
/// action sent twice (a retried request) changes nothing the second time. <see cref="By"/> is who acted: a user name
/// from the users file, a customer's contact, or "helpdesk" for the service itself.
/// </summary>
public sealed record AgentAction(Guid Id, long IncidentId, AgentActionKind Kind, string By, string Comment)
{
    /// <summary>For <see cref="AgentActionKind.Assign"/>: the user name the incident goes to.</summary>
    public string Assignee { get; init; } = "";

    /// <summary>For <see cref="AgentActionKind.Prioritize"/>: the new priority.</summary>
    public Priority Priority { get; init; }

    /// <summary>For <see cref="AgentActionKind.Resolve"/>: what caused the incident, and what fixed it.</summary>
    public string Cause { get; init; } = "";

    public string Fix { get; init; } = "";

    /// <summary>For <see cref="AgentActionKind.Comment"/>: the note is for the customer's status updates, not only for staff.</summary>
    public bool ForCustomer { get; init; }

    /// <summary>
    /// A note the service itself adds about something outside the decision (<see cref="AgentActionKind.Note"/>).
    /// Its id is made from what it is about, so the same note, retried or repeated after a restart, is written once.
    /// </summary>
    public static AgentAction ServiceNote(long incidentId, Guid about, string text)
    {
        Span<byte> bytes = stackalloc byte[16];
        about.TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[0] ^= 0x5A;
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new AgentAction(new Guid(bytes, bigEndian: true), incidentId, AgentActionKind.Note, "helpdesk", text);
    }

    /// <summary>Whether the action applies to an incident in <paramref name="status"/>: reopen and confirm need a resolved one, the rest an open or acknowledged one.</summary>
    public bool AppliesTo(IncidentStatus status) => Kind is AgentActionKind.Reopen or AgentActionKind.Confirm
        ? status == IncidentStatus.Resolved
        : status is IncidentStatus.Open or IncidentStatus.Acknowledged;
}
