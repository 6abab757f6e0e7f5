using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// GET /api/v1/events: what happens to incidents, as server-sent events, the moment it is committed, so the board
/// updates without reloading. Each watcher has a small queue of its own; one that reads too slowly loses the oldest
/// events, never holds up the pipeline (the board reads the list again on any event, so a lost one costs nothing).
/// With several instances each streams its own commits: the board also reads the list every half minute. Every event
/// is handed to every watcher on the pipeline's turn, so at most <paramref name="maxWatchers"/> watch at once.
/// </summary>
public sealed class LiveFeed(TimeProvider time, int maxWatchers) : IIncidentEventSubscriber
{
    private const int QueuePerWatcher = 256;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(25);
    private readonly Lock _gate = new();
    private Channel<LiveEventJson>[] _watchers = [];

    public int Watchers => Volatile.Read(ref _watchers).Length;

    public void Committed(IReadOnlyList<IncidentEvent> events)
    {
        var watchers = Volatile.Read(ref _watchers);
        if (watchers.Length == 0)
        {
            return;
        }

        foreach (var e in events)
        {
            var json = LiveEventJson.From(e);
            foreach (var watcher in watchers)
            {
                watcher.Writer.TryWrite(json);
            }
        }
    }

    public void Map(IEndpointRouteBuilder app) => app.MapGet("/api/v1/events", (HttpContext http, Access access) =>
        access.CheckRead(http) ?? (Watchers >= maxWatchers ? TooMany(http) : TypedResults.ServerSentEvents(WatchAsync(http.RequestAborted))))
        .WithSummary("What happens to incidents, as server-sent events (hello, incident, keepalive)").Produces<LiveEventJson>(200, "text/event-stream")
        .ProducesProblem(401).ProducesProblem(503);

    // Counted, not reserved: streams opened at the same moment may pass the bound by a few, and nothing is ever held
    // for a stream that did not start.
    private IResult TooMany(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "30";
        return Results.Problem(statusCode: 503, title: "Too many live streams",
            detail: $"{maxWatchers} live streams are open (Helpdesk:Api:MaxLiveStreams); the board reads the incident list every half minute meanwhile");
    }

    private async IAsyncEnumerable<SseItem<LiveEventJson>> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watcher = Channel.CreateBounded<LiveEventJson>(new BoundedChannelOptions(QueuePerWatcher)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _watchers = [.. _watchers, watcher];
        }

        try
        {
            // The first event tells the browser the stream is open (so it can read the list once, knowing nothing is missed after).
            yield return new SseItem<LiveEventJson>(LiveEventJson.Hello(time.GetUtcNow()), "hello");
            while (!cancellationToken.IsCancellationRequested)
            {
                LiveEventJson? next = null;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    wait.CancelAfter(KeepAlive);
                    try
                    {
                        next = await watcher.Reader.ReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Nothing for a while: a keep-alive, so that proxies do not close a quiet stream.
                    }
                }

                yield return next is null
                    ? new SseItem<LiveEventJson>(LiveEventJson.Hello(time.GetUtcNow()), "keepalive")
                    : new SseItem<LiveEventJson>(next, "incident");
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers = [.. _watchers.Where(w => w != watcher)];
            }
        }
    }
}

/// <summary>One incident event as the live stream sends it.</summary>
public sealed record LiveEventJson(string Number, string Event, string Status, string Priority, string Tier, DateTimeOffset At, string Text)
{
    public static LiveEventJson From(IncidentEvent e) =>
        new(e.Number, IncidentEventKindNames.Of(e.Kind), IncidentNames.Of(e.Status), IncidentNames.Of(e.Priority), e.Tier, e.At, e.Text);

    public static LiveEventJson Hello(DateTimeOffset now) => new("", "", "", "", "", now, "");
}
