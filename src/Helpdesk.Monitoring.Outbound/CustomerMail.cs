using System.Net;
using Helpdesk.Monitoring.Customers;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using MimeKit;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// The customer kept informed, by e-mail to the contacts the rules file names: that an incident affects them, a status
/// update at their agreed cadence (with the latest note written for them), notes written for them, the resolution
/// with a request to confirm it (or say it is still broken), and after closure the satisfaction question. Links are
/// signed (<see cref="CustomerLinks"/>) and expire. Message-IDs come from the event, the same on every attempt.
/// </summary>
public sealed class CustomerMail(CustomerMailOptions options, Func<CustomerRules> customers, CustomerLinks links, IIncidentQueries queries, TimeProvider time)
    : IOutboundChannel
{
    /// <summary>The events customers hear about.</summary>
    public static IReadOnlySet<string> Events { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "opened", "customer_update", "customer_note", "resolved", "reopened", "closed",
    };

    public string Name => CustomerMailOptions.ChannelName;

    /// <summary>Whether this event of this customer's incident is mailed to them.</summary>
    public static bool Wants(in OutboundEvent e, CustomerRules customers) => Events.Contains(e.Name) && !e.InMaintenance && customers.Of(e.Customer) is not null;

    public async Task SendAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        if (customers().Of(delivery.Incident.Customer) is not { } contact)
        {
            // The rules file no longer names the customer: nobody to write to.
            throw new DeliveryFailedException($"the rules file names no contacts for the customer '{delivery.Incident.Customer}' any more", permanent: true);
        }

        var detail = await queries.GetAsync(delivery.Incident.Id, cancellationToken);
        await SmtpSubmission.SendAsync(options.Smtp, Compose(delivery, contact, detail), cancellationToken);
    }

    // Customers are never told that mail was held back: the rate bound applies to the helpdesk's own channels.
    public Task SendHeldBackAsync(long waiting, int perMinute, CancellationToken cancellationToken) => Task.CompletedTask;

    public MimeMessage Compose(PendingDelivery delivery, CustomerContact contact, IncidentDetail? detail)
    {
        var e = delivery.Event;
        var i = delivery.Incident;
        var kind = IncidentEventKindNames.Of(e.Kind);
        var t = CustomerTexts.Of(contact.Language);
        // "Closed: how did we do? (HTTP on web01)": the subjects have colons and questions of their own.
        var headline = $"{t.Subject(kind)} ({Affected(i, t)})";
        var message = MailEnvelope.Make($"[{i.Number}] {headline}", options.From, contact.Contacts,
            $"customer-{e.Id}@{options.DomainOfFrom}", e.At, $"customer-{i.Number}@{options.DomainOfFrom}", i.Number);

        var lines = new List<string> { headline, "" };
        lines.Add($"{t.Status}: {CustomerTexts.StatusWord(contact.Language, IncidentNames.Of(e.Status))}");
        lines.Add($"{t.Priority}: {IncidentNames.Of(e.Priority)}");
        lines.Add("");
        var (link, linkText) = ("", "");
        switch (kind)
        {
            case "customer_note":
                lines.Add(NoteText(e.Text));
                break;
            case "customer_update":
                lines.Add($"{t.LatestNote}: {LatestNote(detail) ?? t.NoNewNote}");
                break;
            case "resolved":
                if (detail?.Incident is { ResolutionCause.Length: > 0 } resolved)
                {
                    lines.Add($"{t.Cause}: {resolved.ResolutionCause}");
                    lines.Add($"{t.Fix}: {resolved.ResolutionFix}");
                    lines.Add("");
                }

                (link, linkText) = (Link(i.Id, CustomerLinkPurpose.Verify, i.Customer), t.Confirm);
                lines.Add($"{t.Confirm}:");
                lines.Add(link);
                lines.Add(t.StillBroken);
                break;
            case "closed":
                (link, linkText) = (Link(i.Id, CustomerLinkPurpose.Rate, i.Customer), t.Rate);
                lines.Add($"{t.Rate}:");
                lines.Add(link);
                break;
        }

        lines.Add("");
        lines.Add($"-- {t.Signature} ({i.Number})");
        var html = string.Concat(lines.Select(l => l.Length == 0 ? "<br>" : l == link ? $"<p><a href=\"{Html(link)}\">{Html(linkText)}</a></p>" : $"<p>{Html(l)}</p>"));
        message.Body = new BodyBuilder { TextBody = string.Join("\n", lines) + "\n", HtmlBody = html }.ToMessageBody();
        return message;
    }

    private string Link(long incident, CustomerLinkPurpose purpose, string customer) =>
        $"{options.LinkBaseUrl.TrimEnd('/')}/customer/{links.Sign(new CustomerLink(incident, purpose, customer, time.GetUtcNow() + options.LinkLifetime))}";

    /// <summary>What the customer knows the problem by: the service and its host in their language, else the host.</summary>
    private static string Affected(OutboundIncident i, CustomerTexts t) =>
        i.Service.Length > 0 ? $"{i.Service} {t.On} {i.Host}" : i.Host.Length > 0 ? i.Host : i.Title;

    /// <summary>The timeline says "To the customer, by NAME: TEXT"; the customer reads TEXT.</summary>
    private static string NoteText(string timelineText) =>
        timelineText.IndexOf(": ", StringComparison.Ordinal) is var at and >= 0 ? timelineText[(at + 2)..] : timelineText;

    private static string? LatestNote(IncidentDetail? detail) =>
        detail?.Timeline.LastOrDefault(t => t.Kind == TimelineKind.CustomerNote) is { } note ? NoteText(note.Text) : null;

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
