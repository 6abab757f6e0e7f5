using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// Tells Nagios what agents acknowledged in the helpdesk, so that it stops re-notifying: an ACKNOWLEDGE_SVC_PROBLEM or
/// ACKNOWLEDGE_HOST_PROBLEM for the incident's cause and each correlated alert still failing, written to the command
/// file of the Nagios instance each came from. The author is the agent; the comment theirs, with the incident's
/// number, which is how the ACKNOWLEDGEMENT Nagios sends back is recognised as this one's echo. A delivery like any
/// other: queued with the acknowledgement, retried while Nagios is stopped.
/// </summary>
/// <param name="note">Puts a note on an incident's timeline (the service's own, through the pipeline like an agent's action).</param>
public sealed class NagiosAcknowledgements(NagiosOptions options, IIncidentQueries incidents, TimeProvider time, Action<string, Exception?> log,
    Action<AgentAction> note) : IOutboundChannel
{
    /// <summary>The channel's name; routes of the rules file do not use it (every agent acknowledgement goes here).</summary>
    public const string ChannelName = "nagios";

    public string Name => ChannelName;

    /// <summary>Nagios' channel has no rate bound: each write stops re-notifications, which is what a flood needs.</summary>
    public Task SendHeldBackAsync(long waiting, int perMinute, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(delivery.Event.IncidentId, cancellationToken) is not { } detail)
        {
            return;
        }

        var incident = detail.Incident;
        var comment = NagiosCommand.AcknowledgementComment(incident.AcknowledgementComment, incident.Number);
        var now = time.GetUtcNow();
        var alerts = new List<(string Instance, string Host, string Service)> { (incident.Instance, incident.Host, incident.Service) };
        alerts.AddRange(detail.Members.Where(m => !m.Recovered).Select(m => (m.Instance, m.Host, m.Service)));
        foreach (var instance in alerts.GroupBy(a => a.Instance, StringComparer.Ordinal))
        {
            if (!options.CommandFiles.TryGetValue(instance.Key, out var path))
            {
                log($"{incident.Number}: no command file is configured for the Nagios instance '{instance.Key}' (Helpdesk:Nagios:CommandFiles:{instance.Key}); it was not told of the acknowledgement", null);
                continue;
            }

            var lines = new List<string>();
            foreach (var (_, host, service) in instance.Where(a => a.Host.Length > 0))
            {
                if (NagiosCommand.Acknowledge(host, service, options.Sticky, options.Notify, options.Persistent, incident.AcknowledgedBy, comment, now) is { } line)
                {
                    lines.Add(line);
                }
                else
                {
                    log($"{incident.Number}: '{host}' / '{service}' cannot be named safely in a Nagios command; it was not acknowledged in Nagios", null);
                }
            }

            try
            {
                await NagiosCommandFile.WriteAsync(path, lines, TimeSpan.FromSeconds(2), time, cancellationToken);
            }
            catch (IOException ex)
            {
                // Said on the timeline once (the first failure), in the log and the metrics every time; retried.
                if (delivery.Attempts == 1)
                {
                    note(AgentAction.ServiceNote(incident.Id, delivery.Event.Id,
                        $"Nagios ({instance.Key}) could not be told of the acknowledgement yet: {ex.Message}; retrying"));
                }

                throw new DeliveryFailedException(ex.Message, permanent: false, ex);
            }
        }
    }
}

/// <summary>Helpdesk:Nagios: where each Nagios instance takes commands, and how acknowledgements are written.</summary>
public sealed class NagiosOptions
{
    /// <summary>The external command file (command_file in nagios.cfg, a FIFO) of each Nagios instance, by the instance name notify sends.</summary>
    public Dictionary<string, string> CommandFiles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The acknowledgement lasts until the service or host is OK again (not only until its next state change).</summary>
    public bool Sticky { get; set; } = true;

    /// <summary>Nagios notifies its contacts of the acknowledgement (the helpdesk recognises that notification as its own).</summary>
    public bool Notify { get; set; } = true;

    /// <summary>The acknowledgement's comment survives a Nagios restart.</summary>
    public bool Persistent { get; set; }

    /// <summary>The status file (status_file in nagios.cfg) of each Nagios instance, by instance name: what reconciliation reads.</summary>
    public Dictionary<string, string> StatusFiles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long Nagios' status must disagree with the incidents before reconciliation acts (a notification may be on its way).</summary>
    public TimeSpan ReconcileGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the status files are looked at (each is read again only when it changed).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Validate() =>
    [
        .. CommandFiles.Where(f => !Path.IsPathFullyQualified(f.Value))
            .Select(f => $"Helpdesk:Nagios:CommandFiles:{f.Key} must be an absolute path (Nagios' command_file), not '{f.Value}'"),
        .. StatusFiles.Where(f => !Path.IsPathFullyQualified(f.Value))
            .Select(f => $"Helpdesk:Nagios:StatusFiles:{f.Key} must be an absolute path (Nagios' status_file), not '{f.Value}'"),
        .. ReconcileGrace < TimeSpan.FromSeconds(1) || ReconcileInterval < TimeSpan.FromSeconds(1)
            ? new[] { "Helpdesk:Nagios:ReconcileGrace and ReconcileInterval must be at least one second" } : [],
    ];
}
