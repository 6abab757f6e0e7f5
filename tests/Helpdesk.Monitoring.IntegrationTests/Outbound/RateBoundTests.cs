using Helpdesk.Monitoring.Outbound;
using Microsoft.Extensions.Time.Testing;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>A channel's rate bound: a sliding minute, one summary per flood.</summary>
public sealed class RateBoundTests
{
    [Fact]
    public void The_room_is_the_bound_less_what_went_in_the_last_minute_and_frees_as_the_minute_slides()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var bound = new RateBound(3, time);
        bound.Sent();
        time.Advance(TimeSpan.FromSeconds(20));
        bound.Sent();
        bound.Sent();

        Assert.Equal(0, bound.Room);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMinutes(1), bound.RoomAt);
        time.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(0, bound.Room);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, bound.Room);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(3, bound.Room);
    }

    [Fact]
    public void One_summary_per_flood_and_none_without_a_bound()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var bound = new RateBound(1, time);
        bound.Sent();

        Assert.Equal(0, bound.Room);
        Assert.True(bound.TakeSummary());
        Assert.False(bound.TakeSummary());

        // The minute passes: room again, so the next flood is told of again.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, bound.Room);
        bound.Sent();
        Assert.Equal(0, bound.Room);
        Assert.True(bound.TakeSummary());

        Assert.Equal(int.MaxValue, new RateBound(0, time).Room);
    }
}
