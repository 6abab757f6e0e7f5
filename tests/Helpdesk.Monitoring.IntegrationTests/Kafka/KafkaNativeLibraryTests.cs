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
        using var cluster = new Helpdesk.Monitoring.Testing.KafkaMockCluster(1);
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
        // The library path without the libsasl2.so.3 link: the bundled library cannot load.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Programs.Relay, "--spool", _dir.Combine("spool"), "--bootstrap-servers", "127.0.0.1:1"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LD_LIBRARY_PATH"] = "";
        using var relay = System.Diagnostics.Process.Start(start)!;
        var stderr = await relay.StandardError.ReadToEndAsync();
        await relay.WaitForExitAsync();

        Assert.Equal(2, relay.ExitCode);
        Assert.Contains("libsasl2.so.3", stderr, StringComparison.Ordinal);
    }
}
