using Confluent.Kafka;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// The Kafka client's errors, as the log shows them. librdkafka reports a broker it cannot reach at every reconnect
/// attempt, several a second: a broker down for an hour would be tens of thousands of lines that bury everything else.
/// Each kind of error is logged when it first comes, then at most once a minute, saying how many more came since; an
/// error that ends the client always.
/// </summary>
public sealed class KafkaErrorLog(string who, Action<string, Exception?> log, TimeProvider time)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();

    // By error code: librdkafka's codes are a fixed set, so this stays small whatever a broker says.
    private readonly Dictionary<ErrorCode, (DateTimeOffset Logged, int Since)> _seen = [];

    /// <summary>
    /// librdkafka's own log. Its lines repeat what the error handler reports, and without a handler it writes them to
    /// standard error raw (<c>%3|1796226067.566|FAIL|rdkafka#consumer-3| …</c>), so they are shown only when an
    /// operator asked for them with the <c>debug</c> property.
    /// </summary>
    public static Action<IClient, LogMessage> OwnLog(IReadOnlyDictionary<string, string> properties, Action<string, Exception?> log) =>
        properties.ContainsKey("debug")
            ? (_, line) => log($"librdkafka {line.Facility}: {line.Message}", null)
            : (_, _) => { };

    public void Report(Error error)
    {
        if (error.EndsTheClient())
        {
            log($"{who}: {error.Reason}", null);
            return;
        }

        int since;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_seen.TryGetValue(error.Code, out var seen) && now - seen.Logged < Quiet)
            {
                _seen[error.Code] = (seen.Logged, seen.Since + 1);
                return;
            }

            since = _seen.TryGetValue(error.Code, out seen) ? seen.Since : 0;
            _seen[error.Code] = (now, 0);
        }

        log(since == 0 ? $"{who}: {error.Reason}" : $"{who}: {error.Reason} (and {since} more like it since the last such line)", null);
    }
}
