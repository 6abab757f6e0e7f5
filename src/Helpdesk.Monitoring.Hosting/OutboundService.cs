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
    private readonly NagiosOptions _nagios = options.Value.Nagios;
    private volatile ChannelSender[] _senders = [];

    // The pipeline opens (and migrates) the store; the senders start reading its queue after that.
    private readonly TaskCompletionSource _storeOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The pipeline opened the store: the delivery queue can be read.</summary>
    public void StoreOpened() => _storeOpen.TrySetResult();

    /// <summary>The channels each event goes to, for the committer; null when no channel is configured.</summary>
    public Func<OutboundEvent, IEnumerable<string>>? Route
    {
        get
        {
            var names = _outbound.ChannelNames;
            var toNagios = _nagios.CommandFiles.Count > 0;
            var toCustomers = _outbound.CustomerMail.Enabled;
            if (names.Count == 0 && !toNagios && !toCustomers)
            {
                return null;
            }

            string[] nagios = [NagiosAcknowledgements.ChannelName];
            string[] customer = [CustomerMailOptions.ChannelName];

            // An agent's acknowledgement also goes to Nagios, whatever the routes say: it stops Nagios re-notifying.
            // Customers hear only what is written for them; a status update that came due is theirs alone. The rules
            // are read for each event, so a reloaded rules file routes the next commit's events.
            return e =>
            {
                var rules = options.Value.Incidents.Rules;
                var staff = e.Name == "customer_update" ? [] : rules.Outbound.ChannelsFor(e, names);
                var withNagios = toNagios && e.ByAgent && e.Name == "acknowledged" ? staff.Concat(nagios) : staff;
                return toCustomers && CustomerMail.Wants(e, rules.Customers) ? withNagios.Concat(customer) : withNagios;
            };
        }
    }

    public void Committed(IReadOnlyList<IncidentEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        WakeSenders();
    }

    /// <summary>Something became due at once (a commit, deliveries re-queued by hand): the senders look now.</summary>
    public void WakeSenders()
    {
        foreach (var sender in _senders)
        {
            sender.Wake();
        }
    }

    /// <summary>A note of the service's own on an incident's timeline: into the pipeline like an agent's action, not awaited.</summary>
    private void Note(AgentAction note)
    {
        var ingest = services.GetRequiredService<Ingest.HttpIngest>();
        if (ingest.TryReserve(1))
        {
            ingest.Push(new InboundNotification(note, new Ingest.ActionReceipt(ingest)));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.DeliveryChannels.Count == 0)
        {
            logger.LogInformation("No outbound channel is configured (Helpdesk:Outbound): incident events are kept in the store's outbox only");
            return;
        }

        await _storeOpen.Task.WaitAsync(stoppingToken);
        var queue = services.GetRequiredService<IDeliveryQueue>();
        using var metrics = new OutboundMetrics(options.Value.DeliveryChannels);
        // Redirects are not followed: a 301 or 302 turns the POST into a GET without its body, whose 2xx would count
        // the event as delivered, and the signed message would go wherever the Location says.
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var senderLog = logger;
        void Log(string message, Exception? error) => senderLog.LogWarning(error, "{Message}", message);

        IEnumerable<IOutboundChannel> channels =
        [
            .. _outbound.Webhooks.Select(w => (IOutboundChannel)new WebhookChannel(w.Key, w.Value, http, time, _outbound.UrlOf)),
            .. _outbound.Teams.Select(t => (IOutboundChannel)new TeamsChannel(t.Key, t.Value, http, _outbound.UrlOf)),
            .. _outbound.Email.Select(m => (IOutboundChannel)new EmailChannel(m.Key, m.Value, _outbound.UrlOf)),
            .. _nagios.CommandFiles.Count == 0 ? [] : new[] { (IOutboundChannel)new NagiosAcknowledgements(_nagios, services.GetRequiredService<IIncidentQueries>(), time, Log, Note) },
            .. !_outbound.CustomerMail.Enabled ? [] : new[]
            {
                (IOutboundChannel)new CustomerMail(_outbound.CustomerMail, () => options.Value.Incidents.Rules.Customers,
                    services.GetRequiredService<Helpdesk.Monitoring.Customers.CustomerLinks>(), services.GetRequiredService<IIncidentQueries>(), time),
            },
        ];
        _senders = [.. channels.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new ChannelSender(c, queue, _outbound, metrics, time, Log,
            c is NagiosAcknowledgements or CustomerMail ? null : new RateBound(_outbound.MaxPerMinute, time)))];
        foreach (var (name, webhook) in _outbound.Webhooks)
        {
            if (string.IsNullOrEmpty(webhook.Secret))
            {
                // Legal (a receiver on the same host may not need it), but anyone who learns the URL can post an incident.
                logger.LogWarning("Outbound channel {Channel}: webhook {Url}, unsigned: without Helpdesk:Outbound:Webhooks:{Channel}:Secret the receiver "
                    + "cannot tell the helpdesk's messages from anyone else's", name, WebhookChannel.Redacted(webhook.Url), name);
            }
            else
            {
                logger.LogInformation("Outbound channel {Channel}: webhook {Url}, signed", name, WebhookChannel.Redacted(webhook.Url));
            }
        }

        foreach (var (name, teams) in _outbound.Teams)
        {
            logger.LogInformation("Outbound channel {Channel}: Microsoft Teams {Url}", name, WebhookChannel.Redacted(teams.Url));
        }

        foreach (var (instance, path) in _nagios.CommandFiles)
        {
            logger.LogInformation("Agents' acknowledgements are written to the Nagios instance {Instance} through {Path}", instance, path);
        }

        foreach (var (name, email) in _outbound.Email)
        {
            logger.LogInformation("Outbound channel {Channel}: e-mail to {To} through {Host}:{Port}", name, string.Join(", ", email.To), email.Smtp.Host, email.Smtp.Port);
        }

        if (_outbound.CustomerMail.Enabled)
        {
            logger.LogInformation("Customers named in the rules file are written to through {Host}:{Port}; their links lead to {Url}",
                _outbound.CustomerMail.Smtp.Host, _outbound.CustomerMail.Smtp.Port, _outbound.CustomerMail.LinkBaseUrl);
        }

        var pruning = new DeliveryPruning(queue, _outbound, time, Log);
        await Task.WhenAll([.. _senders.Select(s => s.RunAsync(stoppingToken)), pruning.RunAsync(stoppingToken)]);
    }
}
