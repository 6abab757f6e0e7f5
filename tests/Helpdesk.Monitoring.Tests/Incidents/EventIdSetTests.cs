using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Tests.Incidents;

public sealed class EventIdSetTests
{
    [Fact]
    public void Agrees_with_a_hash_set_under_churn_in_a_crowded_table()
    {
        // 16 slots for up to 8 ids drawn from 40: long probe runs, and every removal shifts entries across them
        // (including around the end of the table). Any slip in the shift loses an id or finds a forgotten one.
        var set = new EventIdSet(8);
        var model = new HashSet<Guid>();
        var pool = Enumerable.Range(0, 40).Select(i => i == 0 ? Guid.Empty : Guid.CreateVersion7()).ToArray();
        var random = new Random(15);
        for (var step = 0; step < 200_000; step++)
        {
            var id = pool[random.Next(pool.Length)];
            if (model.Count < 8 && random.Next(3) > 0)
            {
                Assert.Equal(model.Add(id), set.Add(id));
            }
            else
            {
                Assert.Equal(model.Remove(id), set.Remove(id));
            }

            Assert.Equal(model.Count, set.Count);
            if (step % 97 == 0)
            {
                Assert.All(pool, p => Assert.Equal(model.Contains(p), set.Contains(p)));
            }
        }
    }

    [Fact]
    public void Holds_its_whole_capacity_of_random_ids()
    {
        var set = new EventIdSet(65_536);
        var ids = Enumerable.Range(0, 65_536).Select(_ => Guid.NewGuid()).ToArray();
        Assert.All(ids, id => Assert.True(set.Add(id)));
        Assert.All(ids, id => Assert.False(set.Add(id)));
        Assert.All(ids.Where((_, i) => i % 2 == 0), id => Assert.True(set.Remove(id)));
        Assert.All(ids, (id, i) => Assert.Equal(i % 2 == 1, set.Contains(id)));
        Assert.Equal(32_768, set.Count);
    }
}
