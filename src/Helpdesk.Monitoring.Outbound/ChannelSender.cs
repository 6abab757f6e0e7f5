using Helpdesk.Monitoring.Diagnostics;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// Sends one channel's queued deliveries: claims what is due (a window at a time), sends each, and marks it sent, to
/// retry (backoff with jitter), or dead. It sleeps until a commit queues something new (<see cref="Wake"/>) or the next
/// retry comes due: an idle channel costs nothing, and a slow or failing receiver holds up only its own channel.
/// </summary>
public sealed class ChannelSender(IOutboundChannel channel, IDeliveryQueue queue, OutboundOptions options, OutboundMetrics metrics,
    TimeProvider time, Action<string, Exception?> log, RateBound? bound = null)
{
    private readonly RateBound _bound = bound ?? new RateBound(0, time);

    // Failed attempts since the last delivery that went through: a receiver that is down fails every delivery, and
    // the log says so once per outage (and once when it is over), the metrics count each attempt.
    private int _failing;

    // Released by Wake: at most one pending signal, since one pass takes everything due anyway.
    private readonly SemaphoreSlim _wake = new(0, 1);

    public string Name => channel.Name;

    /// <summary>Something new may be due (a commit queued deliveries): look now.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var storeFailures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var room = _bound.Room;
                if (room <= 0)
                {
                    metrics.Backlog(await queue.BacklogAsync(cancellationToken));
                    await HoldBackAsync(cancellationToken);
                    await SleepUntilAsync(_bound.RoomAt, cancellationToken);
                    continue;
                }

                var now = time.GetUtcNow();
                var due = await queue.ClaimDueAsync(channel.Name, now, now + options.Lease, Math.Min(options.Window, room), cancellationToken);
                foreach (var delivery in due)
                {
                    await SendAsync(delivery, cancellationToken);
                    _bound.Sent();
                }

                storeFailures = 0;
                if (due.Count > 0)
                {
                    // Sending made room, or an incident's next event is now first in its line: look again at once.
                    continue;
                }

                // Idle now: the backlog gauges show what the store holds (read here, not on a timer: an idle service costs nothing).
                _bound.CaughtUp();
                metrics.Backlog(await queue.BacklogAsync(cancellationToken));
                var next = await queue.NextDueAsync(channel.Name, cancellationToken);
                wait = next is { } at ? Max(at - time.GetUtcNow(), TimeSpan.FromMilliseconds(10)) : Timeout.InfiniteTimeSpan;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The store failed (the deliveries stay queued in it): try again, less often while it keeps failing.
                storeFailures++;
                log($"outbound channel {channel.Name}: reading or marking the delivery queue failed; retrying", ex);
                wait = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(storeFailures, 5)));
            }

            await SleepAsync(wait, cancellationToken);
        }
    }

    private async Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        var kind = delivery.Event.Kind;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.SendTimeout);
            try
            {
                await channel.SendAsync(delivery, timeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DeliveryFailedException($"no answer within {options.SendTimeout.TotalSeconds:0.#} s", permanent: false, ex);
            }
            catch (Exception ex) when (ex is not (DeliveryFailedException or OperationCanceledException or OutOfMemoryException))
            {
                // A failure the channel did not foresee is still this delivery's failure, counted against its attempts:
                // left to the loop below, it read as a failing store, and the delivery waited out its lease, for ever.
                log($"outbound channel {channel.Name}: sending failed in a way the channel does not know", ex);
                throw new DeliveryFailedException(ex.Message, permanent: false, ex);
            }

            CrashPoint.Reach(CrashPoint.OutboundAfterSend);
            var now = time.GetUtcNow();
            await queue.MarkSentAsync(channel.Name, delivery.Ids, now, cancellationToken);
            metrics.Sent(channel.Name, kind, now - delivery.QueuedAt, delivery.Folded.Count);
            if (Interlocked.Exchange(ref _failing, 0) is var failed and > 0)
            {
                log($"outbound channel {channel.Name}: delivering again, after {failed} failed attempts", null);
            }
        }
        catch (DeliveryFailedException ex)
        {
            var now = time.GetUtcNow();
            var what = $"{delivery.Event.Number} {IncidentEventKindNames.Of(kind)} (event {delivery.Event.Id}, attempt {delivery.Attempts})";
            if (ex.Permanent || delivery.Attempts >= options.MaxAttempts)
            {
                await queue.MarkDeadAsync(channel.Name, delivery.Ids, now, ex.Message, cancellationToken);
                metrics.Dead(channel.Name, kind);
                log($"outbound channel {channel.Name}: gave up on {what}: {ex.Message}; it stays in the queue as dead", null);
                return;
            }

            var retryAt = now + RetryDelay(delivery.Attempts);
            await queue.MarkRetryAsync(channel.Name, delivery.Ids, retryAt, ex.Message, cancellationToken);
            metrics.Failed(channel.Name, kind);
            if (Interlocked.Increment(ref _failing) == 1)
            {
                log($"outbound channel {channel.Name}: {what} failed: {ex.Message}; retrying at {retryAt:u}. Until a delivery goes through again, "
                    + "failed attempts are counted in helpdesk_outbound_failed_total, not logged one by one", null);
            }
        }
    }

    /// <summary>The bound is hit: once per flood, the receiver hears how many wait (if anything does).</summary>
    private async Task HoldBackAsync(CancellationToken cancellationToken)
    {
        if (await queue.NextDueAsync(channel.Name, cancellationToken) is not { } next || next > time.GetUtcNow() || !_bound.TakeSummary())
        {
            return;
        }

        var waiting = (await queue.BacklogAsync(cancellationToken)).FirstOrDefault(b => b.Channel == channel.Name)?.Pending ?? 0;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.SendTimeout);
            await channel.SendHeldBackAsync(waiting, options.MaxPerMinute, timeout.Token);
            metrics.HeldBack(channel.Name);
            log($"outbound channel {channel.Name}: more than {options.MaxPerMinute} messages a minute; {waiting} waiting follow as the minute frees room", null);
        }
        catch (Exception ex) when (ex is DeliveryFailedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            log($"outbound channel {channel.Name}: the summary of {waiting} held-back messages could not be sent: {ex.Message}", null);
        }
    }

    private async Task SleepUntilAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        await SleepAsync(Max(at - time.GetUtcNow(), TimeSpan.FromMilliseconds(10)), cancellationToken);

    /// <summary>Doubling from <see cref="OutboundOptions.RetryDelay"/>, capped, with ±20 % jitter so receivers that fail together do not get retried together.</summary>
    private TimeSpan RetryDelay(int attempts)
    {
        var doubled = options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var capped = Math.Min(doubled, options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    /// <summary>Until woken, or <paramref name="wait"/> passed on the sender's clock, or stopping.</summary>
    private async Task SleepAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = _wake.WaitAsync(either.Token);
        var timer = wait == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, either.Token) : Task.Delay(wait, time, either.Token);
        await Task.WhenAny(woken, timer);

        // The other wait ends cancelled; a signal taken meanwhile is not lost, this pass looks at everything due.
        await either.CancelAsync();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
