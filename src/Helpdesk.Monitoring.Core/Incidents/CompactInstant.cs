namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// An optional instant in 8 bytes, for what stays in memory while incidents are open: UTC ticks plus one, zero for
/// none. A <c>DateTimeOffset?</c> takes 24 bytes (ticks, offset and flag, padded), and an open incident keeps a dozen
/// while tens of thousands stay open in a storm. The offset is not kept: the instants kept here are UTC already (the
/// service's clock, Nagios' epoch seconds, the store's milliseconds), and two instants are equal by their UTC ticks.
/// </summary>
internal readonly record struct CompactInstant
{
    private readonly long _ticksPlusOne;

    private CompactInstant(long ticksPlusOne) => _ticksPlusOne = ticksPlusOne;

    public static CompactInstant Of(DateTimeOffset? at) => new(at is { } a ? a.UtcTicks + 1 : 0);

    public DateTimeOffset? Value => _ticksPlusOne == 0 ? null : new DateTimeOffset(_ticksPlusOne - 1, TimeSpan.Zero);

    /// <summary>The instant of a field that always has one (set in the constructor).</summary>
    public DateTimeOffset Required => new(_ticksPlusOne - 1, TimeSpan.Zero);
}
