using System.CommandLine;
using Helpdesk.Monitoring.Kafka;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Relay;

/// <summary>
/// <c>helpdesk-relay</c>: the scale-out bridge from a Nagios server's spool to Kafka (see <see cref="KafkaRelay"/>).
/// Runs until SIGTERM or Ctrl+C; run one per Nagios server, beside it, under its supervisor (systemd).
/// </summary>
internal static class RelayCommand
{
    public static RootCommand Create()
    {
        var spool = new Option<string>("--spool") { Description = "Spool directory (or HELPDESK_SPOOL; default /var/spool/helpdesk)" };
        var servers = new Option<string>("--bootstrap-servers") { Description = "Kafka brokers host:port,... (or HELPDESK_KAFKA_BOOTSTRAP_SERVERS)" };
        var topic = new Option<string>("--topic") { Description = "Topic (default helpdesk.notifications)" };
        var properties = new Option<string[]>("--property") { Description = "A librdkafka setting as name=value (repeatable), e.g. security.protocol=ssl; debug=msg also shows librdkafka's own log" };
        var command = new RootCommand("helpdesk-relay: ship the spool to Kafka; a file is deleted once the broker acknowledged it") { spool, servers, topic, properties };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new KafkaOptions
            {
                BootstrapServers = parse.GetValue(servers) ?? Environment.GetEnvironmentVariable("HELPDESK_KAFKA_BOOTSTRAP_SERVERS") ?? "",
                Topic = parse.GetValue(topic) ?? new KafkaOptions().Topic,
            };
            foreach (var property in parse.GetValue(properties) ?? [])
            {
                var split = property.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0)
                {
                    await Console.Error.WriteLineAsync($"helpdesk-relay: --property '{property}' must be name=value");
                    return 2;
                }

                options.Properties[property[..split]] = property[(split + 1)..];
            }

            if (options.Properties.Keys.FirstOrDefault(KafkaRelay.TimeLimitSettings.Contains) is { } timeout)
            {
                await Console.Error.WriteLineAsync($"helpdesk-relay: --property {timeout} cannot be set: the relay keeps each notification until Kafka takes it, "
                    + "because one that timed out would be sent again after the later notifications of its host, out of order; the spool holds them meanwhile");
                return 2;
            }

            var problems = options.Validate().Where(p => !p.Contains("GroupId", StringComparison.Ordinal)).ToList();
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync($"helpdesk-relay: {problem.Replace("Helpdesk:Kafka:BootstrapServers", "--bootstrap-servers", StringComparison.Ordinal)}");
                }

                return 2;
            }

            var (librdkafka, notLoaded) = KafkaNativeLibrary.Check();
            if (notLoaded is not null)
            {
                await Console.Error.WriteLineAsync($"helpdesk-relay: {notLoaded}");
                return 2;
            }

            if (KafkaSettingsCheck.ProducerRefusal(options) is { } refused)
            {
                await Console.Error.WriteLineAsync($"helpdesk-relay: {refused}");
                return 2;
            }

            var root = parse.GetValue(spool) ?? Environment.GetEnvironmentVariable("HELPDESK_SPOOL") ?? "/var/spool/helpdesk";
            SpoolPaths paths;
            try
            {
                paths = new SpoolPaths(root).EnsureExists();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"helpdesk-relay: cannot use spool '{root}': {ex.Message}");
                return 2;
            }

            static void Log(string message, Exception? error) =>
                Console.Error.WriteLine(error is null ? $"helpdesk-relay: {message}" : $"helpdesk-relay: {message}: {error.Message}");
            var source = new SpoolSource(paths, new DeadLetterDirectory(paths.Rejected), new SpoolOptions(), TimeProvider.System, Log);
            var relay = new KafkaRelay(options, source, TimeProvider.System, Log);
            Log($"shipping {paths.Incoming} to {options.Topic} on {options.BootstrapServers} (librdkafka {librdkafka})", null);
            var stoppedAsAsked = await relay.RunAsync(cancellationToken);
            Log($"stopped: {relay.Delivered} delivered, {relay.Failed} deliveries failed (kept in the spool)", null);

            // Not 0 after a failure: systemd's Restart=on-failure starts the relay again.
            return stoppedAsAsked ? 0 : 1;
        });
        return command;
    }
}
