using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Helpdesk.Monitoring.LoadGenerator;

/// <summary>Posts batches over a fixed number of keep-alive connections and keeps what was committed and how long it took.</summary>
internal sealed class LoadClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly int _connections;

    public LoadClient(Uri baseAddress, string key, int connections)
    {
        _connections = connections;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>Opens one problem per identity.</summary>
    public async Task<long> PrimeAsync(TrafficModel model, int batchSize)
    {
        long committed = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, _connections).Select(async _ =>
        {
            var body = new byte[(batchSize * (model.MaxRecordLength + 1)) + 2];
            while (true)
            {
                var first = Interlocked.Add(ref next, batchSize) - batchSize + 1;
                if (first >= model.Identities)
                {
                    return;
                }

                var length = 0;
                body[length++] = (byte)'[';
                for (var i = first; i < Math.Min(first + batchSize, model.Identities); i++)
                {
                    if (i > first)
                    {
                        body[length++] = (byte)',';
                    }

                    length = model.Write(body, length, i, change: false);
                }

                body[length++] = (byte)']';
                Interlocked.Add(ref committed, (await PostAsync(body, length)).Accepted);
            }
        }));
        return committed;
    }

    /// <summary>Repeats of firing problems, with (1 - repeatRatio) of records changing an identity's state.</summary>
    public async Task<SteadyResult> SteadyAsync(TrafficModel model, int batchSize, double repeatRatio, TimeSpan duration)
    {
        var warning = new bool[model.Identities];
        var latencies = new List<double>[_connections];
        long committed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, _connections).Select(async worker =>
        {
            var random = new Random(worker);
            var mine = latencies[worker] = new List<double>(100_000);
            var body = new byte[(batchSize * (model.MaxRecordLength + 1)) + 2];
            while (clock.Elapsed < duration)
            {
                var length = 0;
                body[length++] = (byte)'[';
                for (var i = 0; i < batchSize; i++)
                {
                    if (i > 0)
                    {
                        body[length++] = (byte)',';
                    }

                    var identity = random.Next(model.Identities);
                    if (random.NextDouble() >= repeatRatio)
                    {
                        warning[identity] = !warning[identity];
                    }

                    length = model.Write(body, length, identity, change: warning[identity]);
                }

                body[length++] = (byte)']';
                var sent = Stopwatch.GetTimestamp();
                var result = await PostAsync(body, length);
                mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                Interlocked.Add(ref committed, result.Accepted);
            }
        }));
        clock.Stop();
        return new SteadyResult(committed, clock.Elapsed, latencies.SelectMany(l => l).Order().ToArray());
    }

    /// <summary>The sum of alert counts over every incident: each committed PROBLEM counts exactly once.</summary>
    public async Task<long> SumAlertCountsAsync()
    {
        long sum = 0;
        for (var page = 1; ; page++)
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync($"/api/v1/incidents?pageSize=500&page={page}"));
            var items = doc.RootElement.GetProperty("items");
            if (items.GetArrayLength() == 0)
            {
                return sum;
            }

            sum += items.EnumerateArray().Sum(i => i.GetProperty("alertCount").GetInt64());
        }
    }

    /// <summary>The service's own view: mean arrival-to-commit latency (ms) from its histogram, and GC pause seconds.</summary>
    public async Task<(double CommitMeanMs, double GcPauseSeconds)> ServiceSideAsync()
    {
        var text = await _http.GetStringAsync("/metrics");
        double Value(string name) => text.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var count = Value("helpdesk_ingest_commit_latency_seconds_count");
        return (count == 0 ? 0 : Value("helpdesk_ingest_commit_latency_seconds_sum") / count * 1000, Value("dotnet_gc_pause_seconds_total"));
    }

    public void Dispose() => _http.Dispose();

    internal async Task<(int Accepted, HttpStatusCode Status)> PostAsync(byte[] body, int length)
    {
        // The worker's buffer is sent as is and reused: the generator shares the CPU, so it allocates little.
        using var content = new ByteArrayContent(body, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync("/api/v1/notifications", content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Console.Error.WriteLine($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (0, response.StatusCode);
        }

        var answer = await response.Content.ReadAsByteArrayAsync();
        var reader = new Utf8JsonReader(answer);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("accepted"u8) && reader.Read())
            {
                return (reader.GetInt32(), response.StatusCode);
            }
        }

        return (0, response.StatusCode);
    }
}

/// <summary>What the steady phase committed, in how long, with each batch's commit latency (ms, sorted).</summary>
internal sealed record SteadyResult(long Committed, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double Rate => Committed / Elapsed.TotalSeconds;

    public double Percentile(double p) => LatenciesMs.Length == 0 ? 0 : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p / 100 * LatenciesMs.Length))];
}
