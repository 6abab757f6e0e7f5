using MimeKit;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// Helpdesk:Outbound:CustomerMail: how customers are written to (the rules file's customers section says who and
/// how often). Off while From is empty. LinkBaseUrl is where customers reach the service's /customer pages, to confirm a
/// fix, say it is still broken, or answer the satisfaction question.
/// </summary>
public sealed class CustomerMailOptions
{
    /// <summary>The delivery channel customer mail goes through (its queue, metrics and retries).</summary>
    public const string ChannelName = "customer";

    public SmtpOptions Smtp { get; set; } = new();

    public string From { get; set; } = "";

    public string LinkBaseUrl { get; set; } = "";

    /// <summary>How long a link in a customer mail works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(14);

    public bool Enabled => From.Length > 0;

    public IReadOnlyList<string> Validate()
    {
        if (!Enabled)
        {
            return [];
        }

        var errors = new List<string>();
        var mail = new EmailOptions { Smtp = Smtp, From = From, To = ["customer@example.com"] };
        errors.AddRange(mail.Validate("Helpdesk:Outbound:CustomerMail"));
        if (!Uri.TryCreate(LinkBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add("Helpdesk:Outbound:CustomerMail:LinkBaseUrl must be the service's address as customers reach it, such as https://helpdesk.example.com");
        }

        if (LinkLifetime < TimeSpan.FromHours(1) || LinkLifetime > TimeSpan.FromDays(90))
        {
            errors.Add("Helpdesk:Outbound:CustomerMail:LinkLifetime must be between one hour and 90 days");
        }

        return errors;
    }

    public string DomainOfFrom => MailboxAddress.TryParse(From, out var from) && from.Domain.Length > 0 ? from.Domain : "helpdesk.invalid";
}
