using System.Diagnostics;
using System.Net;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>
/// The board's live stream (GET /api/v1/events): every committed event reaches every stream, and their number is
/// bounded, since each one costs the pipeline's turn a little for every event.
/// </summary>
public sealed class LiveFeedIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Streams_get_every_event_and_one_past_the_bound_is_refused_until_a_stream_closes()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Api__MaxLiveStreams"] = "2" });
        using var first = await OpenAsync(service);
        using var second = await OpenAsync(service);
        await first.ReadUntilAsync("event: hello");
        await second.ReadUntilAsync("event: hello");

        await service.IngestAsync(Records.Service(NotificationType.Problem, timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Contains("INC-000001", await first.ReadUntilAsync("INC-000001"), StringComparison.Ordinal);
        Assert.Contains("INC-000001", await second.ReadUntilAsync("INC-000001"), StringComparison.Ordinal);

        using (var refused = await service.Http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("2 live streams are open (Helpdesk:Api:MaxLiveStreams)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A board closed: its place is free again once the service sees the connection go.
        first.Dispose();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var again = await service.Http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
            if (again.StatusCode == HttpStatusCode.OK || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                using var third = new LiveStream(again);
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
                await third.ReadUntilAsync("event: hello");
                return;
            }

            again.Dispose();
            await Task.Delay(200);
        }
    }

    private static async Task<LiveStream> OpenAsync(ServiceProcess service)
    {
        var response = await service.Http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new LiveStream(response);
    }

    /// <summary>One open stream, read line by line.</summary>
    private sealed class LiveStream(HttpResponseMessage response) : IDisposable
    {
        private StreamReader? _reader;

        /// <summary>Reads until a line holds <paramref name="text"/> (10 s at most) and returns that line.</summary>
        public async Task<string> ReadUntilAsync(string text)
        {
            _reader ??= new StreamReader(await response.Content.ReadAsStreamAsync());
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await _reader.ReadLineAsync(bound.Token) is { } line)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }

            throw new EndOfStreamException($"the stream ended before '{text}'");
        }

        public void Dispose()
        {
            _reader?.Dispose();
            response.Dispose();
        }
    }
}
