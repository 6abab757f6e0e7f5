using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Kafka;

namespace Helpdesk.Monitoring.IntegrationTests.Kafka;

/// <summary>
/// A setting the Kafka client refuses (a misspelt property) stops the service and the relay at start, in a sentence
/// and with the configuration error's exit code, instead of a stack trace once running and again at every restart.
/// </summary>
public sealed class KafkaSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_client_is_asked_about_the_settings_without_reaching_a_broker()
    {
        var good = new KafkaOptions { BootstrapServers = "127.0.0.1:1", Properties = { ["socket.keepalive.enable"] = "true" } };
        var misspelt = new KafkaOptions { BootstrapServers = "127.0.0.1:1", Properties = { ["socket.keepalive.enabled"] = "true" } };

        Assert.Null(KafkaSettingsCheck.ProducerRefusal(good));
        Assert.Null(KafkaSettingsCheck.ConsumerRefusal(good));
        Assert.Equal("the Kafka client refuses the settings: No such configuration property: \"socket.keepalive.enabled\"", KafkaSettingsCheck.ProducerRefusal(misspelt));
        Assert.Equal("the Kafka client refuses the settings: No such configuration property: \"socket.keepalive.enabled\"", KafkaSettingsCheck.ConsumerRefusal(misspelt));
    }

    [Fact]
    public async Task The_service_and_the_relay_refuse_a_misspelt_property_at_start()
    {
        await using (var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Source"] = "kafka",
            ["Helpdesk__Kafka__BootstrapServers"] = "127.0.0.1:1",
            ["Helpdesk__Kafka__Properties__socket.keepalive.enabled"] = "true",
        }, waitReady: false))
        {
            Assert.Equal(2, await service.ExitCodeAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("Helpdesk:Kafka:Properties: the Kafka client refuses the settings: No such configuration property: \"socket.keepalive.enabled\"",
                service.Output, StringComparison.Ordinal);
        }

        var (exit, _, stderr) = await ExternalCommand.RunAsync("dotnet",
            [Programs.Relay, "--spool", _dir.Combine("spool"), "--bootstrap-servers", "127.0.0.1:1", "--property", "socket.keepalive.enabled=true"]);
        Assert.Equal(2, exit);
        Assert.Equal("helpdesk-relay: the Kafka client refuses the settings: No such configuration property: \"socket.keepalive.enabled\"", stderr.Trim());

        // A wrong command line (a misspelt option in a unit's drop-in): a line, not the usage text, and the exit code the
        // unit does not restart on.
        (exit, var stdout, stderr) = await ExternalCommand.RunAsync("dotnet", [Programs.Relay, "--spool", _dir.Combine("spool"), "--brokers", "127.0.0.1:1"]);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("helpdesk-relay: Unrecognized command or argument '--brokers'", stderr, StringComparison.Ordinal);
        Assert.EndsWith("(helpdesk-relay --help shows the usage)", stderr.Trim(), StringComparison.Ordinal);

        // A spool that cannot be a folder: a sentence too, not the runtime's stack trace.
        var file = _dir.Combine("not-a-folder");
        await File.WriteAllTextAsync(file, "");
        (exit, _, stderr) = await ExternalCommand.RunAsync("dotnet", [Programs.Relay, "--spool", file, "--bootstrap-servers", "127.0.0.1:1"]);
        Assert.Equal(2, exit);
        Assert.StartsWith($"helpdesk-relay: cannot use spool '{file}': ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
