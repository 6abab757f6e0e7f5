using System.Net;

namespace Helpdesk.Monitoring.LoadGenerator.Soak;

/// <summary>
/// The webhook receiver the soak delivers to, on a three-minute cycle: a minute answering at once, a minute taking
/// three seconds per delivery, a minute answering 503 (down). Counts what it was sent.
/// </summary>
internal sealed class SoakReceiver : IDisposable
{
    public static readonly TimeSpan Cycle = TimeSpan.FromMinutes(3);
    private readonly HttpListener _listener = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private long _received;
    private long _refused;

    public SoakReceiver(int port)
    {
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public long Received => Interlocked.Read(ref _received);

    public long Refused => Interlocked.Read(ref _refused);

    public string Phase => ((DateTimeOffset.UtcNow - _started).Ticks / TimeSpan.TicksPerMinute % 3) switch { 0 => "fast", 1 => "slow", _ => "down" };

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var response = context.Response;
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                switch (Phase)
                {
                    case "down":
                        Interlocked.Increment(ref _refused);
                        response.StatusCode = 503;
                        return;
                    case "slow":
                        await Task.Delay(TimeSpan.FromSeconds(3));
                        break;
                }

                Interlocked.Increment(ref _received);
                response.StatusCode = 204;
            });
        }
    }

    public void Dispose() => _listener.Close();
}
