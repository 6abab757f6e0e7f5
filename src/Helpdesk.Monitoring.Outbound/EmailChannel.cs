using System.Net;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using MimeKit;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// E-mail through SMTP (MailKit): one mail per event, plain text and HTML, subject with the incident's number, priority
/// and title. Threaded per incident: every mail names the incident's thread root in In-Reply-To and References, so a
/// mail client groups an incident's updates; its Message-ID is made from the event id, the same on every attempt.
/// </summary>
public sealed class EmailChannel(string name, EmailOptions options, Func<string, string> incidentUrl) : IOutboundChannel
{
    private readonly string _domain = MailboxAddress.Parse(options.From).Domain is { Length: > 0 } d ? d : "helpdesk.invalid";

    public string Name => name;

    public Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken) => SendAsync(Compose(delivery), cancellationToken);

    public Task SendHeldBackAsync(long waiting, int perMinute, CancellationToken cancellationToken)
    {
        var message = new MimeMessage { Subject = $"[helpdesk] {waiting} notifications held back (more than {perMinute} a minute)" };
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var to in options.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Body = new TextPart("plain") { Text = $"More than {perMinute} mails a minute: {waiting} waiting incident events follow at {perMinute} a minute. The helpdesk has them all.\n" };
        return SendAsync(MailEnvelope.Automatic(message), cancellationToken);
    }

    private Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => SmtpSubmission.SendAsync(options.Smtp, message, cancellationToken);

    /// <summary>The mail for one event: what a person on call reads first is in the subject.</summary>
    public MimeMessage Compose(PendingDelivery delivery)
    {
        var e = delivery.Event;
        var i = delivery.Incident;
        var what = IncidentEventKindNames.Of(e.Kind).Replace('_', ' ');
        var message = MailEnvelope.Make($"[{i.Number}] {IncidentNames.Of(e.Priority)} {what}: {i.Title}{Folded(delivery)}",
            options.From, options.To, $"{e.Id}@{_domain}", e.At, ThreadRoot(i.Number), i.Number);
        message.Headers.Add("X-Helpdesk-Event", what);

        var url = incidentUrl(i.Number);
        var where = IncidentPlace.Of(i);
        var facts = new (string Name, string Value)[]
        {
            ("Incident", i.Number), ("Event", what), ("Priority", IncidentNames.Of(e.Priority)), ("Status", IncidentNames.Of(e.Status)),
            ("State", NagiosNames.Of(e.State)), ("Team / tier", $"{i.Team} / {e.Tier}"), ("Customer", i.Customer), ("Host / service", where),
            ("Alerts", e.AlertCount.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("When", e.At.ToString("u", System.Globalization.CultureInfo.InvariantCulture)),
        };
        var description = i.Description.Length > 0 ? "\n" + i.Description : "";
        var body = new BodyBuilder
        {
            TextBody = $"{e.Text}{Folded(delivery)}\n\n{string.Join("\n", facts.Select(f => $"{f.Name}: {f.Value}"))}\n{description}{(url.Length > 0 ? "\n" + url + "\n" : "")}",
            HtmlBody = $"<p>{Html(e.Text)}</p><table>{string.Concat(facts.Select(f => $"<tr><th align=\"left\">{Html(f.Name)}</th><td>{Html(f.Value)}</td></tr>"))}</table>"
                + (i.Description.Length > 0 ? $"<pre style=\"white-space: pre-wrap\">{Html(i.Description)}</pre>" : "")
                + (url.Length > 0 ? $"<p><a href=\"{Html(url)}\">Open {Html(i.Number)}</a></p>" : ""),
        };
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>The Message-ID every mail of an incident replies to, so that a mail client threads them.</summary>
    public string ThreadRoot(string number) => $"{number}@{_domain}";

    private static string Folded(PendingDelivery delivery) =>
        delivery.Folded.Count == 0 ? "" : $" (and {delivery.Folded.Count} earlier update{(delivery.Folded.Count == 1 ? "" : "s")})";

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
