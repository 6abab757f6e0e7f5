using System.Buffers.Binary;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// One thing that happened to an incident, with the incident as it stood right after it: what the commit hands to
/// whoever acts on it (metrics now; notifications to people next), and what the store keeps in its outbox in the same
/// transaction. One per timeline entry. What never changes after opening (title, customer, team, category) is read
/// from the incident itself.
/// </summary>
/// <param name="Id">Made from the incident and the entry's place in its timeline, so the same decision written twice
/// (two instances closing one incident by the clock) is one event, and a receiver can drop a repeat by it.</param>
/// <param name="Cause">The notification or agent action behind it; none when the clock decided.</param>
/// <param name="Text">The timeline's sentence: why it happened.</param>
public sealed record IncidentEvent(
    Guid Id,
    IncidentEventKind Kind,
    DateTimeOffset At,
    long IncidentId,
    int Seq,
    Guid? Cause,
    IncidentStatus Status,
    Priority Priority,
    string Tier,
    AlertState State,
    long AlertCount,
    long? MergedInto,
    string Text)
{
    public string Number => IncidentNumber.Format(IncidentId);

    /// <summary>The id of the event at <paramref name="seq"/> in incident <paramref name="incidentId"/>'s timeline.</summary>
    public static Guid IdOf(long incidentId, int seq)
    {
        // An RFC 9562 version 8 (custom) UUID: 48 bits of incident id (ids are allocated one by one: 2^48 is never
        // reached), the version and variant, a tag, and the place in the timeline. Nothing random, nothing from a clock.
        ArgumentOutOfRangeException.ThrowIfNegative(incidentId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(incidentId, 1L << 48);
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, incidentId << 16);
        bytes[6] = 0x80;
        bytes[7] = (byte)'h';
        bytes[8] = 0x80;
        bytes[9] = (byte)'d';
        BinaryPrimitives.WriteInt32BigEndian(bytes[12..], seq);
        return new Guid(bytes, bigEndian: true);
    }
}
