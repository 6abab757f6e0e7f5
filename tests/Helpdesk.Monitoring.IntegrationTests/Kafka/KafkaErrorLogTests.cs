using Confluent.Kafka;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Kafka;
using Microsoft.Extensions.Time.Testing;

namespace Helpdesk.Monitoring.IntegrationTests.Kafka;

/// <summary>
/// A broker that cannot be reached is reported by the Kafka client at every reconnect attempt, several a second: the
/// log says each kind of error once a minute, with how many more came, and an error that ends the client always.
/// </summary>
public sealed class KafkaErrorLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Each_kind_of_error_is_logged_when_it_first_comes_then_once_a_minute_with_how_many_more_came()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var lines = new List<string>();
        var errors = new KafkaErrorLog("kafka", (line, _) => lines.Add(line), time);
        var refused = new Error(ErrorCode.Local_Transport, "127.0.0.1:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection refused");

        // Five reconnects a second for a minute: one line, then the next a minute after the first, with the count.
        for (var attempt = 0; attempt < 301; attempt++)
        {
            errors.Report(refused);
            time.Advance(TimeSpan.FromMilliseconds(200));
        }

        errors.Report(new Error(ErrorCode.Local_AllBrokersDown, "1/1 brokers are down"));
        errors.Report(new Error(ErrorCode.Local_Fatal, "the producer was fenced"));
        errors.Report(new Error(ErrorCode.Local_Fatal, "the producer was fenced"));

        Assert.Equal(
            [
                "kafka: 127.0.0.1:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection refused",
                "kafka: 127.0.0.1:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection refused (and 299 more like it since the last such line)",
                "kafka: 1/1 brokers are down",
                "kafka: the producer was fenced",
                "kafka: the producer was fenced",
            ],
            lines);
    }

    [Fact]
    public async Task The_relay_with_its_broker_down_says_so_without_a_line_at_every_reconnect()
    {
        var spool = _dir.Combine("spool");
        Directory.CreateDirectory(spool);
        await using var relay = new RelayProcess(spool, "127.0.0.1:1", "helpdesk.notifications");
        await Task.Delay(TimeSpan.FromSeconds(6));

        var lines = relay.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("kafka: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("Connection refused", StringComparison.Ordinal));
        Assert.True(lines.Count <= 3, "one line per kind of error: " + string.Join('\n', lines));
    }

    [Fact]
    public async Task The_service_with_its_broker_down_logs_each_kind_once_and_nothing_raw_from_the_client()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Source"] = "kafka",
            ["Helpdesk__Kafka__BootstrapServers"] = "127.0.0.1:1",
        });
        await Task.Delay(TimeSpan.FromSeconds(6));

        var output = service.Output;
        Assert.DoesNotContain("|FAIL|rdkafka", output, StringComparison.Ordinal);
        var consumer = output.Split('\n').Where(l => l.Contains("kafka consumer: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(consumer, l => l.Contains("Connection refused", StringComparison.Ordinal));
        Assert.True(consumer.Count <= 3, "one line per kind of error: " + string.Join('\n', consumer));
    }
}
