using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Helpdesk.Monitoring.LoadGenerator.Soak;

/// <summary>
/// <c>soak [--minutes 30] [--rate 20000] [--out-dir bench/results]</c>: the service for half an hour (or as long as
/// asked) at a steady rate with <see cref="SoakDay"/>'s day on top, agents acting through the API every five seconds,
/// every incident event delivered to a <see cref="SoakReceiver"/> that is sometimes slow and sometimes down, and the
/// retention archiving incidents five minutes after they close. Every ten seconds a row of <see cref="SoakSample"/>;
/// at the end the verdict (memory, handles and latency flat after warm-up, the database as the size model says) and
/// soak.csv / soak.md in the output directory (bench/scripts/soak.sh plots them).
/// </summary>
internal static class SoakCommand
{
    private const int Batch = 100;
    private const int Connections = 4;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var minutes = double.Parse(Option("--minutes", "30"), CultureInfo.InvariantCulture);
        var rate = int.Parse(Option("--rate", "20000"), CultureInfo.InvariantCulture);
        var outDir = Option("--out-dir", "bench/results");
        Directory.CreateDirectory(outDir);

        using var receiver = new SoakReceiver(ServiceUnderTest.FreePort());

        // Storm mode above 1,000 new incidents a minute: the day's ten a second (600 a minute) stay apart, its storm
        // (9,000 a minute) is one incident, and the storm ends once the rate is back to the day's.
        var rules = Path.Combine(Path.GetTempPath(), $"helpdesk-soak-rules-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(rules, """{ "version": 1, "correlation": { "storm": { "enterPerMinute": 1000, "exitPerMinute": 700 } } }""");
        var agentKey = Guid.NewGuid().ToString("N");
        await using var service = await ServiceUnderTest.StartAsync("FULL", new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Information",
            ["Helpdesk__RulesPath"] = rules,
            ["Helpdesk__Outbound__Webhooks__soak__Url"] = receiver.Url,

            // Every event of 600 incidents a minute goes to this one channel: past the default flood bound (60 a
            // minute) it would fall behind for good, and closed incidents wait for their deliveries before archiving.
            ["Helpdesk__Outbound__MaxPerMinute"] = "0",
            ["Helpdesk__Api__AgentKey"] = agentKey,
            ["Helpdesk__Incidents__VerificationHold"] = "00:01:00",
            ["Helpdesk__Incidents__ReopenWindow"] = "00:01:00",
            ["Helpdesk__Retention__ArchiveAfter"] = "00:05:00",
        });
        Console.WriteLine($"soak: service pid {service.Pid}, {rate}/s for {minutes} min, receiver {receiver.Url}");

        var model = new TrafficModel(10, 100);
        using var client = new LoadClient(service.BaseAddress, service.IngestKey, Connections);
        await client.PrimeAsync(model, Batch);
        using var agents = new HttpClient { BaseAddress = service.BaseAddress };
        agents.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", agentKey);

        var latencies = new ConcurrentQueue<double>();
        var samples = new List<SoakSample>();
        var day = new SoakDay();
        var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var (actions, refusedPosts) = (new long[2], new long[1]);
        var clock = Stopwatch.StartNew();
        var traffic = Task.Run(() => TrafficAsync(client, model, day, rate, latencies, refusedPosts, stop.Token));
        var acting = Task.Run(() => AgentsAsync(agents, actions, stop.Token));
        MetricsPage? previous = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SampleEvery, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            var page = new MetricsPage(await agents.GetStringAsync("/metrics"));
            var window = new List<double>();
            while (latencies.TryDequeue(out var l))
            {
                window.Add(l);
            }

            window.Sort();
            var before = previous?.Buckets("helpdesk_ingest_commit_latency_seconds") ?? [];
            var after = page.Buckets("helpdesk_ingest_commit_latency_seconds");
            samples.Add(new SoakSample(clock.Elapsed.TotalMinutes, service.ResidentBytes(), (long)page.Sum("dotnet_total_memory_bytes"),
                Directory.GetFiles($"/proc/{service.Pid}/fd").Length, (int)ServiceUnderTest.StatusKiB(service.Pid, "Threads:"),
                MetricsPage.Quantile(before, after, 0.5) * 1000, MetricsPage.Quantile(before, after, 0.99) * 1000,
                window.Count == 0 ? double.NaN : window[(int)(0.99 * (window.Count - 1))], DatabaseBytes(service.DataDirectory),
                (long)page.Sum("helpdesk_notifications_ingested_total"), (long)page.Sum("helpdesk_incidents_opened_total"),
                (long)page.Sum("helpdesk_incidents_archived_total"), receiver.Received, service.LogLines));
            previous = page;
            Console.WriteLine(SoakSample.Header.Split(',').Zip(samples[^1].Csv().Split(',')).Aggregate("", (s, p) => s + $"{p.First}={p.Second} "));
        }

        await Task.WhenAll(traffic, acting);
        var csv = Path.Combine(outDir, "soak.csv");
        await File.WriteAllLinesAsync(csv, samples.Select(s => s.Csv()).Prepend(SoakSample.Header));
        var report = SoakReport.Markdown(samples, minutes, rate, day.Special, actions, refusedPosts[0], receiver, service.LogBytes);
        await File.WriteAllTextAsync(Path.Combine(outDir, "soak.md"), report.Text);
        Console.WriteLine(report.Text);
        return report.Passed ? 0 : 4;
    }

    private static long DatabaseBytes(string data) =>
        new[] { "helpdesk.db", "helpdesk.db-wal" }.Select(f => new FileInfo(Path.Combine(data, f))).Where(f => f.Exists).Sum(f => f.Length);

    /// <summary>Second by second: the day's notifications, then repeats of firing problems up to the rate, in batches over four connections.</summary>
    private static async Task TrafficAsync(LoadClient client, TrafficModel model, SoakDay day, int rate, ConcurrentQueue<double> latencies, long[] refused, CancellationToken stop)
    {
        var started = Stopwatch.StartNew();
        for (var second = 0; !stop.IsCancellationRequested; second++)
        {
            var special = day.Second(second);
            var bodies = new List<(byte[] Body, int Length)>();
            var repeats = Math.Max(0, rate - special.Count);
            var next = 0;
            while (next < special.Count || repeats > 0)
            {
                var body = new byte[(Batch * (Math.Max(model.MaxRecordLength, special.Count == 0 ? 0 : special.Max(r => r.Length)) + 1)) + 2];
                var length = 0;
                body[length++] = (byte)'[';
                for (var n = 0; n < Batch && (next < special.Count || repeats > 0); n++)
                {
                    if (n > 0)
                    {
                        body[length++] = (byte)',';
                    }

                    if (next < special.Count)
                    {
                        special[next].CopyTo(body, length);
                        length += special[next++].Length;
                    }
                    else
                    {
                        length = model.Write(body, length, Random.Shared.Next(model.Identities), change: false);
                        repeats--;
                    }
                }

                body[length++] = (byte)']';
                bodies.Add((body, length));
            }

            await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = Connections }, async (b, _) =>
            {
                var posted = Stopwatch.GetTimestamp();
                var (_, status) = await client.PostAsync(b.Body, b.Length);
                latencies.Enqueue(Stopwatch.GetElapsedTime(posted).TotalMilliseconds);
                if ((int)status >= 300)
                {
                    Interlocked.Increment(ref refused[0]);
                }
            });
            var wait = TimeSpan.FromSeconds(second + 1) - started.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Every five seconds a person acts on an open incident: acknowledges, writes a note, resolves, in turn.</summary>
    private static async Task AgentsAsync(HttpClient agents, long[] actions, CancellationToken stop)
    {
        for (var turn = 0; !stop.IsCancellationRequested; turn++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stop);
                using var list = System.Text.Json.JsonDocument.Parse(await agents.GetStringAsync("/api/v1/incidents?status=open,acknowledged&pageSize=20", stop));
                var items = list.RootElement.GetProperty("items");
                if (items.GetArrayLength() == 0)
                {
                    continue;
                }

                var number = items[turn % items.GetArrayLength()].GetProperty("number").GetString();
                var (verb, body) = (turn % 3) switch
                {
                    0 => ("acknowledge", """{"by":"soak-agent","comment":"looking into it"}"""),
                    1 => ("notes", """{"by":"soak-agent","text":"called the customer"}"""),
                    _ => ("resolve", """{"by":"soak-agent","cause":"a stuck worker","fix":"restarted it"}"""),
                };
                using var response = await agents.PostAsync($"/api/v1/incidents/{number}/{verb}", new StringContent(body, Encoding.UTF8, "application/json"), stop);
                Interlocked.Increment(ref actions[response.IsSuccessStatusCode ? 0 : 1]);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
