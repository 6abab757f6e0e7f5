using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>A filtered, paged list request: newest first.</summary>
public sealed record IncidentQuery
{
    public const int MaxPageSize = 500;

    public IncidentStatus? Status { get; init; }
    public string? Customer { get; init; }
    public string? Host { get; init; }
    public Priority? Priority { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}
