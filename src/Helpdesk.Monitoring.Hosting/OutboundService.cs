using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Outbound;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting;

/// <summary>
/// Sends incident events to people: routes each committed event to the channels that want it (written into the
/// store's delivery queue in the commit's transaction), and runs one sender per channel over that queue. Told of
/// each commit, it wakes the senders; otherwise they sleep until a retry comes due.
/// </summary>
public sealed class OutboundService(IOptions<HelpdeskOptions> options, IServiceProvider services, TimeProvider time, ILogger<OutboundService> logger)
    : BackgroundService, IIncidentEventSubscriber
{
    private readonly OutboundOptions _outbound = options.Value.Outbound;
    private volatile ChannelSender[] _senders = [];

    /// <summary>The channels each event goes to, for the committer; null when no channel is configured.</summary>
    public Func<OutboundEvent, IEnumerable<string>>? Route
    {
        get
        {
            var names = _outbound.ChannelNames;
            if (names.Count == 0)
            {
                return null;
            }

            var rules = options.Value.Incidents.Rules.Outbound;
            return e => rules.ChannelsFor(e, names);
        }
    }

    public void Committed(IReadOnlyList<IncidentEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        foreach (var sender in _senders)
        {
            sender.Wake();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_outbound.ChannelNames.Count == 0)
        {
            logger.LogInformation("No outbound channel is configured (Helpdesk:Outbound): incident events are kept in the store's outbox only");
            return;
        }

        var queue = services.GetRequiredService<IDeliveryQueue>();
        using var metrics = new OutboundMetrics(_outbound.ChannelNames);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var senderLog = logger;
        void Log(string message, Exception? error) => senderLog.LogWarning(error, "{Message}", message);

        IEnumerable<IOutboundChannel> channels =
        [
            .. _outbound.Webhooks.Select(w => (IOutboundChannel)new WebhookChannel(w.Key, w.Value, http, time, _outbound.UrlOf)),
            .. _outbound.Teams.Select(t => (IOutboundChannel)new TeamsChannel(t.Key, t.Value, http, _outbound.UrlOf)),
            .. _outbound.Email.Select(m => (IOutboundChannel)new EmailChannel(m.Key, m.Value, _outbound.UrlOf)),
        ];
        _senders = [.. channels.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new ChannelSender(c, queue, _outbound, metrics, time, Log))];
        foreach (var (name, webhook) in _outbound.Webhooks)
        {
            logger.LogInformation("Outbound channel {Channel}: webhook {Url}", name, WebhookChannel.Redacted(webhook.Url));
        }

        foreach (var (name, teams) in _outbound.Teams)
        {
            logger.LogInformation("Outbound channel {Channel}: Microsoft Teams {Url}", name, WebhookChannel.Redacted(teams.Url));
        }

        foreach (var (name, email) in _outbound.Email)
        {
            logger.LogInformation("Outbound channel {Channel}: e-mail to {To} through {Host}:{Port}", name, string.Join(", ", email.To), email.Smtp.Host, email.Smtp.Port);
        }

        await Task.WhenAll(_senders.Select(s => s.RunAsync(stoppingToken)));
    }
}
