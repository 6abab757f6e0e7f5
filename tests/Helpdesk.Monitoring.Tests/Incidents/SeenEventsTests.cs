using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Tests.Incidents;

public sealed class SeenEventsTests
{
    [Fact]
    public void Reads_the_creation_time_of_a_uuid_v7()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);
        Assert.True(SeenEvents.TryGetUnixMs(Guid.CreateVersion7(at), out var ms));
        Assert.Equal(1_795_000_000_123, ms);
        Assert.False(SeenEvents.TryGetUnixMs(Guid.NewGuid(), out _));
    }

    [Fact]
    public void New_v7_ids_are_known_new_and_old_or_random_ids_ask_the_store()
    {
        var seen = new SeenEvents(4, watermarkUnixMs: 1_000_000);
        Assert.Equal(EventIdClass.New, seen.Classify(Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000))));
        Assert.Equal(EventIdClass.Unknown, seen.Classify(Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(999_999))));
        Assert.Equal(EventIdClass.Unknown, seen.Classify(Guid.NewGuid()));
    }

    [Fact]
    public void Forgetting_an_id_raises_the_watermark_past_it()
    {
        var seen = new SeenEvents(2, watermarkUnixMs: 0);
        var ids = Enumerable.Range(1, 3).Select(i => Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(i * 1000))).ToArray();
        seen.Remember(ids[0]);
        seen.Remember(ids[1]);
        Assert.Equal(EventIdClass.Seen, seen.Classify(ids[0]));
        seen.Remember(ids[2]);

        // ids[0] was forgotten: it must not look new, or a redelivery would apply twice.
        Assert.Equal(EventIdClass.Unknown, seen.Classify(ids[0]));
        Assert.Equal(1001, seen.WatermarkUnixMs);
        Assert.Equal(EventIdClass.Seen, seen.Classify(ids[2]));
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void Is_unknown_exactly_when_classify_says_unknown()
    {
        var seen = new SeenEvents(2, 1_000_000);
        var old = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(999_999));
        var oldButSeen = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(999_998));
        var random = Guid.NewGuid();
        var fresh = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(1_000_001));
        var freshAndSeen = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(1_000_002));
        seen.Remember(oldButSeen);
        seen.Remember(freshAndSeen);

        foreach (var id in new[] { old, oldButSeen, random, fresh, freshAndSeen })
        {
            Assert.Equal(seen.Classify(id) == EventIdClass.Unknown, seen.IsUnknown(id));
        }

        Assert.Equal([true, false, true, false, false], new[] { old, oldButSeen, random, fresh, freshAndSeen }.Select(seen.IsUnknown));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void Remembers_exactly_the_last_ids_it_was_given_and_says_which_it_held_already_whatever_their_order_and_repeats(int capacity)
    {
        // A model of the window: the last `capacity` distinct ids, in the order they were first remembered. Ids come
        // from a small pool, so they repeat and collide in the table's runs, and the all-zero id is among them.
        var random = new Random(capacity);
        var pool = Enumerable.Range(0, capacity * 3).Select(_ => Guid.NewGuid()).Append(Guid.Empty).ToArray();
        var seen = new SeenEvents(capacity, watermarkUnixMs: long.MaxValue);
        var order = new Queue<Guid>();
        var model = new HashSet<Guid>();
        for (var step = 0; step < 20_000; step++)
        {
            var id = pool[random.Next(pool.Length)];
            var added = seen.Remember(id);
            Assert.Equal(!model.Contains(id), added);
            if (model.Add(id))
            {
                order.Enqueue(id);
                if (order.Count > capacity)
                {
                    model.Remove(order.Dequeue());
                }
            }

            if (step % 97 == 0)
            {
                foreach (var any in pool)
                {
                    Assert.Equal(model.Contains(any), seen.Classify(any) == EventIdClass.Seen);
                }
            }
        }

        Assert.Equal(model.Count, seen.Count);
    }
}
