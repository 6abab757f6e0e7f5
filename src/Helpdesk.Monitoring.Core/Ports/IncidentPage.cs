using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>One page of incidents and the total that match.</summary>
public sealed record IncidentPage(IReadOnlyList<IncidentRecord> Items, int Page, int PageSize, long Total)
{
    /// <summary>How many alerts each item holds besides its cause, in <see cref="Items"/>' order (empty: not counted).</summary>
    public IReadOnlyList<int> MemberCounts { get; init; } = [];
}
