using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Ports;

/// <summary>Refused input: where it came from, why, and its exact bytes.</summary>
public sealed record DeadLetter(string Source, RejectReason Reason, string Message, ReadOnlyMemory<byte> Payload, DateTimeOffset ReceivedAt);
