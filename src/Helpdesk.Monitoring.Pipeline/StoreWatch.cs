namespace Helpdesk.Monitoring.Pipeline;

/// <summary>
/// Since when the store has been asked for something it has not yet done: a failing store and one stuck on a lock
/// look the same from here. Written on the pipeline thread, read by /readyz and the metrics on other threads.
/// Measured on the monotonic clock: the wall clock stepped by NTP or an operator must not make a healthy store look
/// failing (forward) or hide a failing one (back).
/// </summary>
internal sealed class StoreWatch(TimeProvider time)
{
    // The monotonic timestamp of the oldest call not yet done; 0 when the last call succeeded.
    private long _waitingSince;

    /// <summary>A call starts; the clock keeps the oldest start until one succeeds.</summary>
    public void Asked() => Interlocked.CompareExchange(ref _waitingSince, Math.Max(1, time.GetTimestamp()), 0);

    public void Worked() => Interlocked.Exchange(ref _waitingSince, 0);

    /// <summary>
    /// How long the store has gone without doing what was asked (failing, or stuck on one call); zero once a call
    /// succeeds. A healthy store shows the length of the call in progress, milliseconds.
    /// </summary>
    public TimeSpan FailingFor()
    {
        var since = Interlocked.Read(ref _waitingSince);
        return since == 0 ? TimeSpan.Zero : time.GetElapsedTime(since);
    }
}
