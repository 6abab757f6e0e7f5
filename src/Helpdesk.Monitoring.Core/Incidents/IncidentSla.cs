namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// An incident's service-level clock: the calendar it runs on, when it started (opening or reopening), the response
/// and resolution due times, which targets were breached, since when it is paused (maintenance), and how many times
/// the incident was escalated.
/// </summary>
public readonly record struct IncidentSla(
    string Calendar, DateTimeOffset? StartedAt, DateTimeOffset? ResponseDueAt, DateTimeOffset? ResolutionDueAt,
    bool ResponseBreached, bool ResolutionBreached, DateTimeOffset? PausedAt, int Escalations)
{
    public static readonly IncidentSla None = new("", null, null, null, false, false, null, 0);
}
