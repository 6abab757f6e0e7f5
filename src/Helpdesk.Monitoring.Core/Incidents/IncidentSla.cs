namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// An incident's service-level clock: the calendar it runs on, when it started (opening or reopening), the response
/// and resolution due times, which targets were breached, since when it is paused (maintenance), and how many times
/// the incident was escalated.
/// </summary>
public readonly record struct IncidentSla
{
    // Every open incident keeps one: its four instants are kept in 8 bytes each instead of 24 (see CompactInstant).
    private readonly CompactInstant _startedAt;
    private readonly CompactInstant _responseDueAt;
    private readonly CompactInstant _resolutionDueAt;
    private readonly CompactInstant _pausedAt;

    public IncidentSla(
        string calendar, DateTimeOffset? startedAt, DateTimeOffset? responseDueAt, DateTimeOffset? resolutionDueAt,
        bool responseBreached, bool resolutionBreached, DateTimeOffset? pausedAt, int escalations)
    {
        Calendar = calendar;
        StartedAt = startedAt;
        ResponseDueAt = responseDueAt;
        ResolutionDueAt = resolutionDueAt;
        ResponseBreached = responseBreached;
        ResolutionBreached = resolutionBreached;
        PausedAt = pausedAt;
        Escalations = escalations;
    }

    public static readonly IncidentSla None = new("", null, null, null, false, false, null, 0);

    public string Calendar { get; init; }

    public DateTimeOffset? StartedAt { get => _startedAt.Value; init => _startedAt = CompactInstant.Of(value); }

    public DateTimeOffset? ResponseDueAt { get => _responseDueAt.Value; init => _responseDueAt = CompactInstant.Of(value); }

    public DateTimeOffset? ResolutionDueAt { get => _resolutionDueAt.Value; init => _resolutionDueAt = CompactInstant.Of(value); }

    public bool ResponseBreached { get; init; }

    public bool ResolutionBreached { get; init; }

    public DateTimeOffset? PausedAt { get => _pausedAt.Value; init => _pausedAt = CompactInstant.Of(value); }

    public int Escalations { get; init; }
}
