using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>What one committed batch did: for tests, the replay tool and logs.</summary>
public sealed record BatchOutcome(int Notifications, IReadOnlyList<ApplyOutcome> Outcomes, int IncidentsWritten, int Closed, int Rebuilds);
