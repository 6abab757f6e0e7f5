namespace Helpdesk.Monitoring.StoreBench;

/// <summary>A clock standing at one instant: the retention runs as if that day had come.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
