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

    [Fact]
    public void Offsets_read_again_from_an_earlier_position_are_pending_again_in_order()
    {
        var tracker = new OffsetTracker();
        foreach (var offset in new long[] { 10, 11, 12, 13 })
        {
            tracker.Taken(P0, offset);
        }

        // 12 settles behind 10 and 11; then the partition is read again from 11 (a seek back): 12 is pending again.
        Assert.Equal(10, tracker.Done(P0, 12));
        foreach (var offset in new long[] { 11, 12, 13 })
        {
            tracker.Taken(P0, offset);
        }

        Assert.Equal(4, tracker.Count);
        Assert.Equal(11, tracker.Done(P0, 10));
        Assert.Equal(12, tracker.Done(P0, 11));
        Assert.Equal(13, tracker.Done(P0, 12));

        // An offset below everything pending (read again after the rest settled) goes to the front and holds the commit.
        Assert.Equal(14, tracker.Done(P0, 13));
        tracker.Taken(P0, 20);
        tracker.Taken(P0, 21);
        tracker.Taken(P0, 5);
        Assert.Equal(5, tracker.Done(P0, 20));
        Assert.Equal(21, tracker.Done(P0, 5));
        Assert.Equal(22, tracker.Done(P0, 21));
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void Thousands_of_offsets_with_gaps_and_read_again_settle_exactly_as_the_lowest_pending_says()
    {
        // A model: the pending offsets as a sorted set, the position its minimum or one past the highest taken.
        var random = new Random(20261201);
        var tracker = new OffsetTracker();
        var pending = new SortedSet<long>();
        var highest = -1L;
        long? stored = null;
        var next = 0L;
        for (var step = 0; step < 20_000; step++)
        {
            var roll = random.Next(100);
            // More taken than settled: thousands come to be pending at once, as under load.
            if (roll < 60 || pending.Count == 0)
            {
                // Mostly the next offset, sometimes past a gap, now and then one read again from up to 300 back.
                var offset = roll < 2 ? Math.Max(0, next - random.Next(1, 300)) : next += random.Next(8) == 0 ? random.Next(2, 5) : 1;
                tracker.Taken(P0, offset);
                pending.Add(offset);
                highest = Math.Max(highest, offset);
            }
            else
            {
                // Settled mostly near the front, sometimes anywhere, sometimes an offset that is not pending at all.
                var offset = roll < 98 ? pending.ElementAt(Math.Min(pending.Count - 1, random.Next(random.Next(4) == 0 ? pending.Count : 3)))
                    : next + 1 + random.Next(5);
                long? expected = null;
                if (pending.Remove(offset))
                {
                    var position = pending.Count > 0 ? pending.Min : highest + 1;
                    expected = position == stored ? null : position;
                    stored = expected ?? stored;
                }

                Assert.Equal(expected, tracker.Done(P0, offset));
            }

            Assert.Equal(pending.Count, tracker.Count);
            Assert.Equal(stored ?? (pending.Count > 0 ? pending.Min : null), tracker.Position(P0));
        }
    }
}
