using System.Diagnostics;
using System.Text;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>The real <c>helpdesk-relay</c> as a child process: spool → Kafka.</summary>
public sealed class RelayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    /// <param name="environment">More environment for the relay (a crash point to arm).</param>
    /// <param name="properties">librdkafka settings for the relay's producer, each passed as <c>--property name=value</c>.</param>
    public RelayProcess(string spool, string bootstrapServers, string topic, IDictionary<string, string>? environment = null, IEnumerable<string>? properties = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var settings = (properties ?? []).SelectMany(p => new[] { "--property", p });
        foreach (var argument in new[] { Programs.Relay, "--spool", spool, "--bootstrap-servers", bootstrapServers, "--topic", topic }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits for the relay to end by itself and returns its exit code.</summary>
    public Task<int> ExitCodeAsync(TimeSpan timeout) => ProcessExit.CodeAsync(_process, timeout, () => Output);

    /// <summary>Asks the relay to stop (SIGTERM, as systemd does).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
}
