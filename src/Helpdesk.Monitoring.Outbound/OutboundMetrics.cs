using System.Diagnostics.Metrics;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// The outbound channels' instruments, beside the service's under the same meter name: sent, failed attempts and
/// given-up deliveries per channel and event, the time from commit to a receiver's 2xx, and the backlog per channel.
/// </summary>
public sealed class OutboundMetrics : IDisposable
{
    public const string SentName = "helpdesk_outbound_sent";
    public const string FailedName = "helpdesk_outbound_failed";
    public const string DeadName = "helpdesk_outbound_dead";
    public const string LatencyName = "helpdesk_outbound_delivery_seconds";
    public const string PendingName = "helpdesk_outbound_pending";
    public const string DeadWaitingName = "helpdesk_outbound_dead_waiting";
    public const string FoldedName = "helpdesk_outbound_folded";
    public const string HeldBackName = "helpdesk_outbound_held_back";

    private readonly Meter _meter = new(HelpdeskMetrics.MeterName, "1.0");
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dead;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _folded;
    private readonly Counter<long> _heldBack;
    private readonly IReadOnlyList<string> _channels;
    private volatile IReadOnlyList<ChannelBacklog> _backlog = [];

    /// <param name="channels">Every configured channel: each shows a backlog, 0 when the store has none for it.</param>
    public OutboundMetrics(IReadOnlyList<string> channels)
    {
        _channels = channels;
        _sent = _meter.CreateCounter<long>(SentName, description: "Incident events a receiver took (2xx), by channel and event.");
        _failed = _meter.CreateCounter<long>(FailedName, description: "Delivery attempts that failed and will be retried, by channel and event.");
        _dead = _meter.CreateCounter<long>(DeadName, description: "Deliveries given up (too many attempts, or refused as wrong), by channel and event.");
        _folded = _meter.CreateCounter<long>(FoldedName, description: "Updates folded into another message of the same incident instead of a message each, by channel.");
        _heldBack = _meter.CreateCounter<long>(HeldBackName, description: "Times a channel hit its rate bound (Helpdesk:Outbound:MaxPerMinute) and said how many messages wait, by channel.");
        _latency = _meter.CreateHistogram<double>(LatencyName, unit: "s", description: "From an event's commit to its receiver's 2xx, by channel.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });
        _meter.CreateObservableGauge(PendingName, () => _backlog.Select(b => new Measurement<long>(b.Pending, new KeyValuePair<string, object?>("channel", b.Channel))),
            description: "Deliveries waiting to be sent (or retried), by channel.");
        _meter.CreateObservableGauge(DeadWaitingName, () => _backlog.Select(b => new Measurement<long>(b.Dead, new KeyValuePair<string, object?>("channel", b.Channel))),
            description: "Deliveries given up and kept for an operator, by channel.");
    }

    /// <summary>The labels of the labelled instruments, with every value they can take (every configured channel, every event).</summary>
    public static IReadOnlyDictionary<string, MetricLabel[]> Labels(IReadOnlyList<string> channels)
    {
        var channel = new MetricLabel("channel", [.. channels]);
        var events = new MetricLabel("event", [.. Enum.GetValues<IncidentEventKind>().Select(IncidentEventKindNames.Of)]);
        return new Dictionary<string, MetricLabel[]>(StringComparer.Ordinal)
        {
            [SentName] = [channel, events],
            [FailedName] = [channel, events],
            [DeadName] = [channel, events],
            [LatencyName] = [channel],
            [FoldedName] = [channel],
            [HeldBackName] = [channel],
            [PendingName] = [channel],
            [DeadWaitingName] = [channel],
        };
    }

    /// <param name="folded">Events this message stood for besides its own (counted as sent with it).</param>
    public void Sent(string channel, IncidentEventKind kind, TimeSpan sinceCommit, int folded = 0)
    {
        _sent.Add(1, Tag("channel", channel), Tag("event", IncidentEventKindNames.Of(kind)));
        if (folded > 0)
        {
            _folded.Add(folded, Tag("channel", channel));
        }

        _latency.Record(Math.Max(0, sinceCommit.TotalSeconds), Tag("channel", channel));
    }

    public void HeldBack(string channel) => _heldBack.Add(1, Tag("channel", channel));

    public void Failed(string channel, IncidentEventKind kind) => _failed.Add(1, Tag("channel", channel), Tag("event", IncidentEventKindNames.Of(kind)));

    public void Dead(string channel, IncidentEventKind kind) => _dead.Add(1, Tag("channel", channel), Tag("event", IncidentEventKindNames.Of(kind)));

    /// <summary>The backlog as last read from the store; the gauges show it when Prometheus scrapes.</summary>
    public void Backlog(IReadOnlyList<ChannelBacklog> backlog) =>
        _backlog = [.. _channels.Select(c => backlog.FirstOrDefault(b => b.Channel == c) ?? new ChannelBacklog(c, 0, 0))];

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
