using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>The real helpdesk-service as a child process on a free loopback port, with its own data directory.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string IngestKey = "test-ingest-key-7f3a";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public Task<int> ExitCodeAsync(TimeSpan timeout) => ProcessExit.CodeAsync(_process, timeout, () => Output);

    /// <param name="runAs">A user of <see cref="SystemUsers.Group"/> and a umask to run the service under; null for this user.</param>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, bool waitReady = true,
        (string User, string Umask)? runAs = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortAsync(dataDirectory, settings, waitReady, runAs);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                // Between FreePort's look and the service's bind, another process (a client's outgoing connection, a
                // test running beside this one) took the port: the kernel hands out the same range to both.
            }
        }
    }

    private static Task<ServiceProcess> StartOnFreePortAsync(string dataDirectory, IDictionary<string, string>? settings, bool waitReady,
        (string User, string Umask)? runAs)
    {
        var port = FreePort();
        var start = runAs is { } who
            ? SystemUsers.As(who.User, who.Umask, "dotnet", Programs.Service)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Programs.Service }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.WorkingDirectory = dataDirectory;
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        // The host's "Now listening on" line tells this process's readiness from another's (WaitReadyAsync). On the
        // command line: the shell that starts a service as another user drops a variable whose name holds a dot.
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime");
        start.ArgumentList.Add("Information");
        start.Environment["Helpdesk__DataDirectory"] = dataDirectory;
        start.Environment["HELPDESK_INGEST_KEY"] = IngestKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Helpdesk"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return StartProgramAsync(start, port, waitReady);
    }

    /// <summary>Any start of the service (an installed one, as its own user) that listens on <paramref name="port"/>.</summary>
    public static async Task<ServiceProcess> StartProgramAsync(ProcessStartInfo start, int port, bool waitReady = true)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var service = new ServiceProcess(Process.Start(start)!, port);
        if (!waitReady)
        {
            return service;
        }

        try
        {
            await service.WaitReadyAsync();
        }
        catch
        {
            // Never leave a service behind: the next test would find its port taken.
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"helpdesk-service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                // Ready, and this process is the one listening: two tests' services once drew the same free port, the
                // second failed to bind and, before it exited, took the first one's answer as its own, so the test
                // sent its notifications to the other test's service.
                using var response = await Http.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK && Output.Contains($"Now listening on: http://127.0.0.1:{Port}", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"helpdesk-service not ready:\n{Output}");
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing with the last value and the service log.</summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        JsonElement last = default;
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            // Not there yet (404) counts as "not yet", like an unmet condition.
            using var response = await Http.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                last = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (condition(last))
                {
                    return last;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"condition on {path} not met; last: {last}\n{Output}");
    }

    /// <summary>POSTs notifications with the ingest key and asserts they were all accepted (committed).</summary>
    public async Task IngestAsync(params Helpdesk.Monitoring.Notifications.Notification[] notifications)
    {
        var body = "[" + string.Join(",", notifications.Select(n => System.Text.Encoding.UTF8.GetString(Helpdesk.Monitoring.Tests.Records.Bytes(n)))) + "]";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications") { Content = new StringContent(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", IngestKey);
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs a raw body to /api/v1/notifications with the ingest key, and hands back the answer as it came.</summary>
    public async Task<HttpResponseMessage> PostNotificationsAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", IngestKey);
        return await Http.SendAsync(request);
    }

    /// <summary>The value of one sample (with its labels, if any) in /metrics now; NaN when it is not there.</summary>
    public async Task<double> MetricAsync(string name)
    {
        var line = (await Http.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls /metrics until the sample <paramref name="name"/> (with its labels, if any) satisfies <paramref name="condition"/>.</summary>
    public async Task WaitForMetricAsync(string name, Func<double, bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var text = "";
        while (deadline.Elapsed < timeout)
        {
            text = await Http.GetStringAsync("/metrics");
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
            if (line is not null && condition(double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"metric {name} never met the condition:\n{text}\n{Output}");
    }

    /// <summary>Polls until an asynchronous condition holds (for conditions that need more than one request).</summary>
    public Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) => EventuallyAsync(condition, timeout, () => what);

    /// <summary>As above, with a description made when it fails (to include logs of other processes).</summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what()}: not reached in {timeout}\n{Output}");
    }

    /// <summary>SIGHUP, as <c>systemctl reload</c> sends it.</summary>
    public async Task HangUpAsync()
    {
        using var kill = Process.Start("kill", ["-HUP", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the OOM killer takes the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
