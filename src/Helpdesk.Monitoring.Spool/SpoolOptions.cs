namespace Helpdesk.Monitoring.Spool;

/// <summary>How the service reads the spool.</summary>
public sealed record SpoolOptions
{
    /// <summary>How often an idle spool is listed again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Most records read but not yet committed: bounds memory when the store is slow or down.</summary>
    public int MaxInFlight { get; init; } = 20_000;
}
