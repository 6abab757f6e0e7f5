using Helpdesk.Monitoring.Hosting.Ingest;

namespace Helpdesk.Monitoring.IntegrationTests.Ingest;

/// <summary>The HTTP source's in-flight bound.</summary>
public sealed class HttpIngestTests
{
    [Fact]
    public void Reservations_stop_at_the_limit_and_commits_give_room_back()
    {
        using var ingest = new HttpIngest(maxInFlight: 250);
        Assert.True(ingest.TryReserve(100));
        Assert.True(ingest.TryReserve(150));
        Assert.False(ingest.TryReserve(1));
        ingest.Release(100);
        Assert.True(ingest.TryReserve(100));
        Assert.Equal(250, ingest.InFlight);
    }

    [Fact]
    public void Concurrent_reservations_never_pass_the_limit()
    {
        using var ingest = new HttpIngest(maxInFlight: 1000);
        var granted = 0;
        Parallel.For(0, 10_000, _ =>
        {
            if (ingest.TryReserve(7))
            {
                Interlocked.Add(ref granted, 7);
            }
        });
        Assert.Equal(ingest.InFlight, granted);
        Assert.InRange(granted, 994, 1000);
    }
}
