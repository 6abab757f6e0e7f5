using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// Told what happened to incidents once the store holds it: after the commit, never before, so nothing is announced
/// that a crash could take back. Called on the pipeline's turn, so it must only hand the events on (count them, queue
/// them), never wait on the network; what must reach people exactly once is read from the store's outbox instead.
/// </summary>
public interface IIncidentEventSubscriber
{
    void Committed(IReadOnlyList<IncidentEvent> events);
}
