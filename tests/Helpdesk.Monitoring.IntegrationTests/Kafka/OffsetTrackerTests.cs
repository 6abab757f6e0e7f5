using Confluent.Kafka;
using Helpdesk.Monitoring.Kafka;

namespace Helpdesk.Monitoring.IntegrationTests.Kafka;

/// <summary>The commit position is the lowest offset still in flight: a record that settles early never lets it skip one that is not durable.</summary>
public sealed class OffsetTrackerTests
{
    private static readonly TopicPartition P0 = new("helpdesk.notifications", 0);
    private static readonly TopicPartition P1 = new("helpdesk.notifications", 1);

    [Fact]
    public void A_record_settled_before_earlier_ones_does_not_move_the_commit_past_them()
    {
        var tracker = new OffsetTracker();
        foreach (var offset in new long[] { 10, 11, 12 })
        {
            tracker.Taken(P0, offset);
        }

        // 12 is durable first (a dead-lettered record settles at once): the commit may only stand at 10.
        Assert.Equal(10, tracker.Done(P0, 12));
        Assert.Equal(10, tracker.Position(P0));
        Assert.Equal(11, tracker.Done(P0, 10));

        // With nothing in flight, everything taken is durable: the commit stands one past the highest.
        Assert.Equal(13, tracker.Done(P0, 11));
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void Partitions_are_tracked_apart_and_an_offset_settled_twice_or_never_taken_moves_nothing()
    {
        var tracker = new OffsetTracker();
        tracker.Taken(P0, 5);
        tracker.Taken(P1, 7);
        tracker.Taken(P1, 8);

        Assert.Equal(6, tracker.Done(P0, 5));
        Assert.Null(tracker.Done(P0, 5));
        Assert.Null(tracker.Done(P0, 99));
        Assert.Equal(7, tracker.Position(P1));
        Assert.Equal(2, tracker.Count);
    }

    [Fact]
    public void Before_anything_is_stored_the_position_is_where_the_groups_commit_stood()
    {
        var tracker = new OffsetTracker();
        Assert.Null(tracker.Position(P0));
        tracker.Assigned(P0, 40);
        Assert.Equal(40, tracker.Position(P0));
    }

    [Fact]
    public void The_first_offset_of_a_partition_settles_to_one_past_it_and_stays_the_position_once_nothing_is_pending()
    {
        var tracker = new OffsetTracker();
        tracker.Taken(P0, 0);
        Assert.Equal(1, tracker.Done(P0, 0));
        Assert.Equal(1, tracker.Position(P0));
    }

    [Fact]
    public void Pending_records_are_counted_per_partition_and_forgotten_with_a_partition_that_moved_away()
    {
        var tracker = new OffsetTracker();
        tracker.Taken(P0, 1);
        tracker.Taken(P0, 2);
        tracker.Taken(P1, 9);
        tracker.Assigned(P0, 1);
        Assert.Equal(2, tracker.PendingIn([P0]));
        Assert.Equal(3, tracker.PendingIn([P0, P1]));

        tracker.Forget([P0]);

        Assert.Equal(0, tracker.PendingIn([P0]));
        Assert.Equal(1, tracker.Count);
        Assert.Null(tracker.Position(P0));
        Assert.Null(tracker.Done(P0, 1));
        Assert.Equal(9, tracker.Position(P1));
    }

    [Fact]
    public void Positions_wait_for_storing_once_per_partition_and_only_when_they_moved()
    {
        var tracker = new OffsetTracker();
        Assert.Null(tracker.TakeUnstored());
        foreach (var offset in new long[] { 3, 4, 5, 6 })
        {
            tracker.Taken(P0, offset);
        }

        tracker.Taken(P1, 20);

        // The first record settled makes the position known: it stands at the lowest still in flight.
        tracker.Done(P0, 5);
        Assert.Equal([new TopicPartitionOffset(P0, 3)], tracker.TakeUnstored()!);

        // 6 settles before 3 and 4 as well: the position cannot move, so nothing waits to be stored.
        Assert.Null(tracker.Done(P0, 6));
        Assert.Null(tracker.TakeUnstored());

        // Three records settle; each partition's newest position is stored once.
        tracker.Done(P0, 3);
        tracker.Done(P0, 4);
        tracker.Done(P1, 20);
        var positions = tracker.TakeUnstored()!.OrderBy(p => p.Partition.Value).ToList();
        Assert.Equal([new TopicPartitionOffset(P0, 7), new TopicPartitionOffset(P1, 21)], positions);
        Assert.Null(tracker.TakeUnstored());
    }

    [Fact]
    public void A_partition_that_moved_away_leaves_no_position_to_store()
    {
        var tracker = new OffsetTracker();
        tracker.Taken(P0, 1);
        tracker.Taken(P1, 1);
        tracker.Done(P0, 1);
        tracker.Done(P1, 1);

        tracker.Forget([P0]);

        Assert.Equal([new TopicPartitionOffset(P1, 2)], tracker.TakeUnstored()!);
    }
}
