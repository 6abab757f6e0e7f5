namespace Helpdesk.Monitoring.Pipeline;

/// <summary>
/// Since when the store has been asked for something it has not yet done: a failing store and one stuck on a lock
/// look the same from here. Written on the pipeline thread, read by /readyz and the metrics on other threads.
/// </summary>
internal sealed class StoreWatch(TimeProvider time)
{
    // UTC ticks of the oldest call not yet done; 0 when the last call succeeded.
    private long _waitingSinceTicks;

    /// <summary>A call starts; the clock keeps the oldest start until one succeeds.</summary>
    public void Asked() => Interlocked.CompareExchange(ref _waitingSinceTicks, time.GetUtcNow().UtcTicks, 0);

    public void Worked() => Interlocked.Exchange(ref _waitingSinceTicks, 0);

    /// <summary>
    /// How long the store has gone without doing what was asked (failing, or stuck on one call); zero once a call
    /// succeeds. A healthy store shows the length of the call in progress, milliseconds.
    /// </summary>
    public TimeSpan FailingFor(DateTimeOffset now)
    {
        var since = Interlocked.Read(ref _waitingSinceTicks);
        return since == 0 ? TimeSpan.Zero : now - new DateTimeOffset(since, TimeSpan.Zero);
    }
}
