using MimeKit;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>One e-mail channel: an SMTP server, a sender and the mailboxes that get every event routed to it.</summary>
public sealed class EmailOptions
{
    // MimeKit takes a bare local part ("helpdesk") for an address by default; a mail server would not deliver it.
    private static readonly ParserOptions Addresses = new() { AllowAddressesWithoutDomain = false };

    public SmtpOptions Smtp { get; set; } = new();

    public string From { get; set; } = "";

    public List<string> To { get; set; } = [];

    public IReadOnlyList<string> Validate(string at)
    {
        var errors = new List<string>();
        if (Smtp.Host.Length == 0)
        {
            errors.Add($"{at}:Smtp:Host is required");
        }

        if (Smtp.Port is < 1 or > 65535)
        {
            errors.Add($"{at}:Smtp:Port must be between 1 and 65535");
        }

        if (Smtp.Security is not ("None" or "StartTls" or "SslOnConnect" or "Auto"))
        {
            errors.Add($"{at}:Smtp:Security must be None, StartTls, SslOnConnect or Auto, not '{Smtp.Security}'");
        }

        if (!IsAddress(From))
        {
            errors.Add($"{at}:From must be one e-mail address, such as 'Helpdesk <helpdesk@example.com>', not '{From}'");
        }

        if (To.Count == 0)
        {
            errors.Add($"{at}:To must list at least one e-mail address (in JSON a list, \"To\": [\"oncall@example.com\"]; in the "
                + "environment or on the command line one key per address, To:0, To:1, …)");
        }

        errors.AddRange(To.Where(t => !IsAddress(t)).Select(t => $"{at}:To: '{t}' is not an e-mail address such as oncall@example.com"));
        return errors;
    }

    private static bool IsAddress(string text) => MailboxAddress.TryParse(Addresses, text, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}

/// <summary>The SMTP server; the password comes from configuration or the environment, never from the rules file.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>None, StartTls (the default: port 587), SslOnConnect (port 465) or Auto.</summary>
    public string Security { get; set; } = "StartTls";

    public string User { get; set; } = "";

    public string Password { get; set; } = "";
}
