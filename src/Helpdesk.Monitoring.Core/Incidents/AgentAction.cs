namespace Helpdesk.Monitoring.Incidents;

/// <summary>What a helpdesk agent does to an incident through the API.</summary>
public enum AgentActionKind : byte
{
    Acknowledge = 1,

    /// <summary>Resolve by hand: the only way an incident under the "manual" resolve policy resolves.</summary>
    Resolve,

    /// <summary>A note on the timeline, from the service itself (for example: Nagios could not be told of an acknowledgement).</summary>
    Note,
}

/// <summary>
/// An agent's action on an incident. <see cref="Id"/> makes it idempotent like a notification's event id: the same
/// action sent twice (a retried request) changes nothing the second time.
/// </summary>
public sealed record AgentAction(Guid Id, long IncidentId, AgentActionKind Kind, string By, string Comment)
{
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
}
