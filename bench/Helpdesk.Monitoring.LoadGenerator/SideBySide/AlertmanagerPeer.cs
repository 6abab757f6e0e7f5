using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>
/// A fresh Prometheus Alertmanager (Debian's prometheus-alertmanager), clustering off, one receiver with no
/// integrations, its own storage directory. Fed <c>POST /api/v2/alerts</c>: labels alertname (the service), instance
/// (the host), severity and customer, annotation summary (the plugin output), and endsAt for a resolve. It keeps
/// alerts in memory only and answers when they are in memory.
/// </summary>
internal sealed class AlertmanagerPeer : IPeer
{
    public const string Program = "/usr/bin/prometheus-alertmanager";

    private readonly Process _process;
    private readonly string _data;
    private readonly HttpClient _http;
    private readonly Identities _identities;
    private readonly byte[][] _firing;
    private readonly byte[][] _resolved;

    private AlertmanagerPeer(Process process, string data, Uri baseAddress, Identities identities, int connections)
    {
        _process = process;
        _data = data;
        _identities = identities;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        _firing = new byte[identities.Count][];
        _resolved = new byte[identities.Count][];
        for (var i = 0; i < identities.Count; i++)
        {
            _firing[i] = Alert(i, identities.ProblemOutput(i));
            _resolved[i] = Alert(i, identities.RecoveryOutput(i));
        }

        MaxNotificationBytes = _firing.Concat(_resolved).Max(r => r.Length) + EndsAtLength + 1;
    }

    public string Name => "Alertmanager";

    public int Pid => _process.Id;

    public int MaxNotificationBytes { get; }

    public static async Task<AlertmanagerPeer> StartAsync(Identities identities, int connections)
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"{Program} is missing: install Debian's prometheus-alertmanager (bench/scripts/side-by-side.sh does)");
        }

        var data = Path.Combine(Path.GetTempPath(), "alertmanager-sbs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var config = Path.Combine(data, "alertmanager.yml");
        await File.WriteAllTextAsync(config, "route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n");
        var port = ServiceUnderTest.FreePort();
        var start = new ProcessStartInfo(Program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = data };
        foreach (var arg in new[] { "--config.file=" + config, "--storage.path=" + data, $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + Program);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("alertmanager: " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("alertmanager: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var peer = new AlertmanagerPeer(process, data, new Uri($"http://127.0.0.1:{port}"), identities, connections);
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await peer._http.GetAsync("/-/ready")).IsSuccessStatusCode)
                {
                    return peer;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await peer.DisposeAsync();
        throw new TimeoutException("alertmanager did not become ready");
    }

    public int Write(byte[] body, int at, int identity, Step step)
    {
        var alert = step == Step.Resolve ? _resolved[identity] : _firing[identity];
        alert.CopyTo(body, at);
        at += alert.Length;
        if (step == Step.Resolve)
        {
            // endsAt now: the alert is resolved from this moment (Prometheus sends the same when a rule stops firing).
            "\"endsAt\":\""u8.CopyTo(body.AsSpan(at));
            at += 10;
            var now = DateTime.UtcNow;
            Encoding.ASCII.GetBytes(now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), body.AsSpan(at));
            at += 24;
            body[at++] = (byte)'"';
        }
        else
        {
            at--; // no endsAt: drop the comma the template ends with
        }

        body[at++] = (byte)'}';
        return at;
    }

    public async Task<int> PostAsync(byte[] body, int length, int count)
    {
        using var content = new ByteArrayContent(body, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync("/api/v2/alerts", content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Console.Error.WriteLine($"alertmanager answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return 0;
        }

        return count;
    }

    public async Task<HashSet<int>> FiringAsync()
    {
        var firing = new HashSet<int>();
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true"));
        foreach (var alert in doc.RootElement.EnumerateArray())
        {
            var labels = alert.GetProperty("labels");
            firing.Add(_identities.ByName[(labels.GetProperty("instance").GetString()!, labels.GetProperty("alertname").GetString()!)]);
        }

        return firing;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    private const int EndsAtLength = 10 + 24 + 1;

    // The alert up to and including a trailing comma; Write finishes it with or without endsAt.
    private byte[] Alert(int identity, string summary)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartObject("labels");
            w.WriteString("alertname", _identities.Service(identity));
            w.WriteString("instance", _identities.Host(identity));
            w.WriteString("severity", "critical");
            w.WriteString("customer", "customer-" + _identities.Customer(identity));
            w.WriteEndObject();
            w.WriteStartObject("annotations");
            w.WriteString("summary", summary);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        var json = stream.ToArray();
        json[^1] = (byte)',';
        return json;
    }
}
