using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Kafka;

namespace Helpdesk.Monitoring.IntegrationTests.Kafka;

/// <summary>The Kafka client runs on the librdkafka it ships (2.16), never on a system copy it fell back to.</summary>
public sealed class KafkaNativeLibraryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_bundled_librdkafka_2_16_is_the_one_loaded()
    {
        var (version, problem) = KafkaNativeLibrary.Check();
        Assert.Null(problem);
        Assert.StartsWith("2.16.", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_in_the_kafka_mode_says_which_librdkafka_it_runs_on()
    {
        var cluster = new Helpdesk.Monitoring.Testing.KafkaMockCluster(1);
        using var end = BoundedEnd.Of(cluster);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Source"] = "kafka",
            ["Helpdesk__Kafka__BootstrapServers"] = cluster.BootstrapServers,
        });
        Assert.Matches(@"Kafka client [\d.]+ with librdkafka 2\.16\.", service.Output);
    }

    [Fact]
    public async Task Without_its_sasl_library_the_relay_refuses_to_run_on_another_librdkafka_and_says_why()
    {
        // The library path without the libsasl2.so.3 link: the bundled librdkafka.so cannot load. The client then
        // tries the other builds it ships (on some machines its centos8 build, which needs nothing but glibc, loads),
        // then the system's. The relay must either refuse, saying why, or run on a 2.16 build from its own folder.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Programs.Relay, "--spool", _dir.Combine("spool"), "--bootstrap-servers", "127.0.0.1:1"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LD_LIBRARY_PATH"] = "";
        using var relay = System.Diagnostics.Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        relay.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        relay.BeginErrorReadLine();

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await relay.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            // Still running: it must be on the 2.16 it ships, loaded from its own folder, and have said so.
            var maps = await File.ReadAllLinesAsync($"/proc/{relay.Id}/maps");
            relay.Kill(entireProcessTree: true);
            await relay.WaitForExitAsync();
            var loaded = maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 6 && f[5].Contains("librdkafka", StringComparison.Ordinal))
                .Select(f => f[5]).Distinct().ToList();
            var own = Path.Combine(Path.GetDirectoryName(Programs.Relay)!, "runtimes") + "/";
            Assert.NotEmpty(loaded);
            Assert.All(loaded, path => Assert.StartsWith(own, path, StringComparison.Ordinal));
            lock (stderr)
            {
                Assert.Matches(@"\(librdkafka 2\.16\.", stderr.ToString());
            }

            return;
        }

        Assert.Equal(2, relay.ExitCode);
        lock (stderr)
        {
            Assert.Contains("libsasl2.so.3", stderr.ToString(), StringComparison.Ordinal);
        }
    }
}
