using Helpdesk.Monitoring.Kafka;
using Microsoft.Extensions.Time.Testing;

namespace Helpdesk.Monitoring.IntegrationTests.Kafka;

public sealed class RedeliveryBackoffTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Every_file_refused_in_one_outage_waits_the_same_second()
    {
        var backoff = new RedeliveryBackoff(_time);
        var waits = Enumerable.Range(0, 500).Select(i => (Wait: backoff.Failed(out var first), First: first)).ToList();
        Assert.All(waits, w => Assert.Equal(RedeliveryBackoff.First, w.Wait));
        Assert.Equal([true], waits.Where(w => w.First).Select(w => w.First));
    }

    [Fact]
    public void Refusals_that_go_on_double_the_wait_up_to_a_minute_and_a_delivery_starts_again_at_one_second()
    {
        var backoff = new RedeliveryBackoff(_time);
        var waits = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            var wait = backoff.Failed(out _);
            Assert.Equal(wait, backoff.Failed(out var again));
            Assert.False(again);
            waits.Add(wait.TotalSeconds);
            _time.Advance(wait);
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], waits);
        backoff.Delivered();
        Assert.Equal(RedeliveryBackoff.First, backoff.Failed(out var fresh));
        Assert.True(fresh);
    }
}
