using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>Read side of the store, for the API, the board and the CLI.</summary>
public interface IIncidentQueries
{
    ValueTask<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken);

    ValueTask<IncidentDetail?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The customer's earlier incidents on the same host, newest first: the history an agent reads beside an incident.</summary>
    ValueTask<IReadOnlyList<IncidentRecord>> HistoryAsync(IncidentRecord incident, int limit, CancellationToken cancellationToken);
}
