using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Helpdesk.Monitoring.Outbound;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// A real HTTP receiver on loopback (HttpListener): records every POST it takes (its Idempotency-Key, body and whether
/// the signature verified with <see cref="Secret"/>), and can be told to answer 503 for a while, as a receiver that is
/// down would.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "receiver-secret-9d2c";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _failNext;
    private int _failStatus = 503;
    private int _hang;

    public WebhookReceiver()
    {
        var port = ServiceProcess.FreePort();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Every request taken with a 2xx, in arrival order.</summary>
    public ConcurrentQueue<Received> Taken { get; } = new();

    /// <summary>Requests answered with a failure.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    /// <summary>From now on, requests get no answer at all (a receiver that hangs), until <see cref="Answer"/>.</summary>
    public void Hang() => Volatile.Write(ref _hang, 1);

    public void Answer() => Volatile.Write(ref _hang, 0);

    private string? _movedTo;

    /// <summary>From now on, a POST is answered 302 to <paramref name="location"/>, and a GET with 200 (a receiver that moved).</summary>
    public void MovedTo(string location) => Volatile.Write(ref _movedTo, location);

    /// <summary>GET requests taken (the redirected POSTs of a client that follows redirects).</summary>
    public int Gets => Volatile.Read(ref _gets);

    private int _gets;

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="status"/> (503 Service Unavailable unless said).</summary>
    public void FailNext(int count, int status = 503)
    {
        Volatile.Write(ref _failStatus, status);
        Volatile.Write(ref _failNext, count);
    }

    public async Task<List<Received>> WaitForAsync(Func<List<Received>, bool> condition, TimeSpan timeout, Func<string> context)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var taken = Taken.ToList();
            if (condition(taken))
            {
                return taken;
            }

            Assert.True(deadline.Elapsed < timeout, $"the receiver took {taken.Count}: {string.Join(", ", taken.Select(t => t.Event))}\n{context()}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: on Linux, Stop and then Close each take the listener off its port, and the second binds the
        // port again for a moment to do it, which fails when another test has taken the port in between.
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (Volatile.Read(ref _hang) == 1)
            {
                // Never answered: the sender's timeout ends it. The connection is left to the listener's shutdown.
                continue;
            }

            if (Volatile.Read(ref _movedTo) is { } movedTo)
            {
                if (context.Request.HttpMethod == "GET")
                {
                    Interlocked.Increment(ref _gets);
                    context.Response.StatusCode = 200;
                }
                else
                {
                    context.Response.StatusCode = 302;
                    context.Response.RedirectLocation = movedTo;
                }

                context.Response.Close();
                continue;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var bytes = body.ToArray();
            if (Interlocked.Decrement(ref _failNext) >= 0)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = Volatile.Read(ref _failStatus);
                context.Response.Close();
                continue;
            }

            var signature = context.Request.Headers[WebhookSignature.Header] ?? "";
            using var json = JsonDocument.Parse(bytes);
            var root = json.RootElement;
            // A webhook's body names its event; a Teams card does not (the test reads it from the body it keeps).
            var generic = root.TryGetProperty("eventId", out var eventId) && root.TryGetProperty("incident", out _);
            Taken.Enqueue(new Received(
                context.Request.Headers["Idempotency-Key"] ?? "",
                generic ? eventId.GetString()! : "",
                generic ? root.GetProperty("event").GetString()! : "",
                generic ? root.GetProperty("incident").GetProperty("number").GetString()! : "",
                WebhookSignature.Verify(Secret, signature, bytes, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
                context.Request.ContentType ?? "",
                root.Clone()));
            context.Response.StatusCode = 202;
            context.Response.Close();
        }
    }

    public sealed record Received(string IdempotencyKey, string EventId, string Event, string Number, bool SignatureValid, string ContentType, JsonElement Body);
}
