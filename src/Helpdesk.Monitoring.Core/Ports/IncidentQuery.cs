using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Ports;

/// <summary>A filtered, paged list request: newest first, or the SLA deadline nearest first. Empty filters take everything.</summary>
public sealed record IncidentQuery
{
    public const int MaxPageSize = 500;

    /// <summary>Any of these statuses.</summary>
    public IReadOnlyList<IncidentStatus> Statuses { get; init; } = [];

    /// <summary>Any of these priorities.</summary>
    public IReadOnlyList<Priority> Priorities { get; init; } = [];
    public string? Customer { get; init; }
    public string? Host { get; init; }
    public string? Team { get; init; }
    public string? Tier { get; init; }

    /// <summary>The user name the incidents are assigned to.</summary>
    public string? AssignedTo { get; init; }
    public IncidentOrder Order { get; init; } = IncidentOrder.Newest;

    /// <summary>
    /// Search the archive (closed incidents past the retention) instead of the live incidents: by customer or host
    /// (at least one), newest first; the other filters do not apply there.
    /// </summary>
    public bool Archived { get; init; }

    public const string ArchiveNeedsFilter = "the archive is searched by customer or host: give at least one of them";
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;

    /// <summary>
    /// The SLA deadline an incident is next judged on, as SQL both stores read the same way: the response deadline
    /// while nobody has acknowledged it, then the resolution deadline; incidents with neither sort last.
    /// </summary>
    public const string DueExpression =
        "CASE WHEN status = 'open' AND response_due_at IS NOT NULL AND response_breached = 0 THEN response_due_at ELSE resolution_due_at END";

    /// <summary>The ORDER BY both stores use for <see cref="Order"/>.</summary>
    public string OrderBy => Order == IncidentOrder.Due
        ? $"CASE WHEN {DueExpression} IS NULL THEN 1 ELSE 0 END, {DueExpression}, id"
        : "opened_at DESC, id DESC";
}

/// <summary>How a list is sorted.</summary>
public enum IncidentOrder : byte
{
    /// <summary>Newest problem first.</summary>
    Newest = 0,

    /// <summary>The nearest SLA deadline first: what an on-call agent must look at next.</summary>
    Due,
}
