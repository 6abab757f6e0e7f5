using System.Collections.Concurrent;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Outbound;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
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

        // The minute passes: room again, but what waited is still the same flood.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, bound.Room);
        bound.Sent();
        Assert.Equal(0, bound.Room);
        Assert.False(bound.TakeSummary());

        // Once the channel caught up, the next flood is told of again.
        time.Advance(TimeSpan.FromMinutes(1));
        bound.CaughtUp();
        bound.Sent();
        Assert.True(bound.TakeSummary());

        Assert.Equal(int.MaxValue, new RateBound(0, time).Room);
    }

    [Fact]
    public async Task A_flood_that_outlasts_its_first_minute_is_summarised_once_and_the_next_flood_again()
    {
        // A sender on a clock the test moves a second at a time, a bound of 5, 20 events due at once: as the first
        // minute slides by, room frees while 15 still wait, which is the same flood, not a new one at each message.
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var queue = new MemoryQueue(time);
        var channel = new CountingChannel();
        using var metrics = new OutboundMetrics(["ops"]);
        var sender = new ChannelSender(channel, queue, new OutboundOptions { MaxPerMinute = 5 }, metrics, time, (_, _) => { }, new RateBound(5, time));
        using var stop = new CancellationTokenSource();
        queue.Add(20);
        var running = Task.Run(() => sender.RunAsync(stop.Token));

        await MoveTimeUntilAsync(time, () => channel.Sent == 20 && queue.FoundNothing > 0);
        Assert.Equal(1, channel.Summaries);
        Assert.Equal(15, channel.Waiting.First());

        // Caught up: the next flood is told of, once.
        time.Advance(TimeSpan.FromMinutes(1));
        queue.Add(8);
        sender.Wake();
        await MoveTimeUntilAsync(time, () => channel.Sent == 28);
        Assert.Equal(2, channel.Summaries);
        Assert.Equal(3, channel.Waiting.Last());

        await stop.CancelAsync();
        await running;
    }

    /// <summary>Moves the sender's clock a second at a time (the real time the sender needs in between) until <paramref name="done"/>.</summary>
    private static async Task MoveTimeUntilAsync(FakeTimeProvider time, Func<bool> done)
    {
        for (var step = 0; step < 3_000 && !done(); step++)
        {
            await Task.Delay(2);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(done(), "the sender did not get there within 3,000 seconds of its clock");
    }

    /// <summary>A channel that takes every message and counts the summaries and what each said waits.</summary>
    private sealed class CountingChannel : IOutboundChannel
    {
        private int _sent;

        public string Name => "ops";

        public int Sent => Volatile.Read(ref _sent);

        public ConcurrentQueue<long> Waiting { get; } = new();

        public int Summaries => Waiting.Count;

        public Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return Task.CompletedTask;
        }

        public Task SendHeldBackAsync(long waiting, int perMinute, CancellationToken cancellationToken)
        {
            Waiting.Enqueue(waiting);
            return Task.CompletedTask;
        }
    }

    /// <summary>Deliveries of one channel, each of its own incident, all due when added; what the sender needs of a queue.</summary>
    private sealed class MemoryQueue(TimeProvider time) : IDeliveryQueue
    {
        private readonly Lock _gate = new();
        private readonly List<PendingDelivery> _waiting = [];
        private long _next;
        private int _foundNothing;

        /// <summary>Claims that found nothing due: the sender went idle.</summary>
        public int FoundNothing => Volatile.Read(ref _foundNothing);

        public void Add(int count)
        {
            lock (_gate)
            {
                for (var i = 0; i < count; i++)
                {
                    var id = ++_next;
                    var e = new IncidentEvent(IncidentEvent.IdOf(id, 0), IncidentEventKind.Opened, time.GetUtcNow(), id, 0, null, IncidentStatus.Open,
                        Priority.P2, "L1", AlertState.Critical, 1, null, "Opened");
                    _waiting.Add(new PendingDelivery("ops", e, new OutboundIncident(id, "web01 / HTTP is CRITICAL", "helpdesk", "acme", "web01", "HTTP"), 1, time.GetUtcNow()));
                }
            }
        }

        public ValueTask<IReadOnlyList<PendingDelivery>> ClaimDueAsync(string channel, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                var claimed = _waiting.Take(limit).ToList();
                _waiting.RemoveRange(0, claimed.Count);
                if (claimed.Count == 0)
                {
                    Interlocked.Increment(ref _foundNothing);
                }

                return ValueTask.FromResult<IReadOnlyList<PendingDelivery>>(claimed);
            }
        }

        public ValueTask<DateTimeOffset?> NextDueAsync(string channel, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                return ValueTask.FromResult(_waiting.Count > 0 ? time.GetUtcNow() : (DateTimeOffset?)null);
            }
        }

        public ValueTask<IReadOnlyList<ChannelBacklog>> BacklogAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                return ValueTask.FromResult<IReadOnlyList<ChannelBacklog>>([new ChannelBacklog("ops", _waiting.Count, 0)]);
            }
        }

        public ValueTask MarkSentAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask MarkRetryAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset nextAt, string error, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the channel takes every message");

        public ValueTask MarkDeadAsync(string channel, IReadOnlyList<Guid> eventIds, DateTimeOffset at, string error, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the channel takes every message");

        public ValueTask<int> RequeueDeadAsync(string channel, IReadOnlyList<Guid> eventIds, int limit, DateTimeOffset now, string note, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask<int> PruneDoneAsync(DateTimeOffset doneBefore, int maxRows, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<DeliveryState>> ListAsync(string state, string? channel, int limit, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
