using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>One place incident events are sent to (a webhook, ...), under the name routes use.</summary>
public interface IOutboundChannel
{
    string Name { get; }

    /// <summary>Sends one event; returns once the receiver took it, throws <see cref="DeliveryFailedException"/> otherwise.</summary>
    Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the receiver that the channel hit its rate bound: <paramref name="waiting"/> events wait and follow at
    /// <paramref name="perMinute"/> a minute. Best effort, once per flood; not queued.
    /// </summary>
    Task SendHeldBackAsync(long waiting, int perMinute, CancellationToken cancellationToken);
}

/// <summary>A receiver did not take a message; <see cref="Permanent"/> when sending it again cannot help.</summary>
public sealed class DeliveryFailedException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
