using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Helpdesk.Monitoring.LoadGenerator;

/// <summary>A fresh helpdesk-service (Release build) with its own data directory, and its memory as the OS sees it. Linked by the Kafka load generator too.</summary>
internal sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data;

    private ServiceUnderTest(Process process, string data, Uri baseAddress, string key)
    {
        _process = process;
        _data = data;
        BaseAddress = baseAddress;
        IngestKey = key;
    }

    public Uri BaseAddress { get; }

    public string IngestKey { get; }

    public int Pid => _process.Id;

    /// <param name="settings">More environment settings (the Kafka load generator sets the kafka mode).</param>
    public static async Task<ServiceUnderTest> StartAsync(string synchronous, IReadOnlyDictionary<string, string> settings)
    {
        var root = FindRoot();
        // HELPDESK_SERVICE_DLL runs another build (an older commit) under the same load, for side-by-side runs.
        var dll = Environment.GetEnvironmentVariable("HELPDESK_SERVICE_DLL") is { Length: > 0 } other
            ? other
            : Path.Combine(root, "src", "Helpdesk.Monitoring.Service", "bin", "Release", "net10.0", "helpdesk-service.dll");
        var data = Path.Combine(Path.GetTempPath(), "helpdesk-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var port = FreePort();
        var key = Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = data };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Helpdesk__DataDirectory"] = data;
        start.Environment["Helpdesk__Store__Sqlite__Synchronous"] = synchronous;
        start.Environment["HELPDESK_INGEST_KEY"] = key;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        // The same GC setting ./build.sh run uses (docs/configuration.md, "Tuning"): a 16 MiB gen0 budget.
        // HELPDESK_SERVICE_GCGEN0SIZE tries another for the service alone (the generator keeps its own).
        start.Environment["DOTNET_GCgen0size"] = Environment.GetEnvironmentVariable("HELPDESK_SERVICE_GCGEN0SIZE") is { Length: > 0 } gen0 ? gen0 : "0x1000000";
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + dll);
        var service = new ServiceUnderTest(process, data, new Uri($"http://127.0.0.1:{port}"), key);
        process.OutputDataReceived += (_, e) => service.Logged(e.Data);
        process.ErrorDataReceived += (_, e) => service.Logged(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("helpdesk-service did not become ready");
    }

    public string DataDirectory => _data;

    /// <summary>Lines the service wrote to its console (its log), and their bytes.</summary>
    public long LogLines => Interlocked.Read(ref _logLines);

    public long LogBytes => Interlocked.Read(ref _logBytes);

    private long _logLines;
    private long _logBytes;

    private void Logged(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _logLines);
        Interlocked.Add(ref _logBytes, line.Length + 1);
        Console.Error.WriteLine("service: " + line);
    }

    public long ResidentBytes() => StatusKiB(_process.Id, "VmRSS:") * 1024;

    public long PeakResidentBytes() => StatusKiB(_process.Id, "VmHWM:") * 1024;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A field of /proc/PID/status in KiB (VmRSS, VmHWM); 0 when it is not there.</summary>
    internal static long StatusKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Helpdesk.Monitoring.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }
}
