namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// Helpdesk:Outbound: the channels incident events are sent to, each under a name the rules file's routes use, and
/// how deliveries are retried. Secrets come from configuration or the environment (Helpdesk__Outbound__...), never
/// from the rules file.
/// </summary>
public sealed class OutboundOptions
{
    /// <summary>Generic webhooks by channel name: one JSON document per event.</summary>
    public Dictionary<string, WebhookOptions> Webhooks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Microsoft Teams channels by name: an Adaptive Card per event, posted to a workflow or incoming webhook.</summary>
    public Dictionary<string, TeamsOptions> Teams { get; set; } = new(StringComparer.Ordinal);

    /// <summary>E-mail channels by name: one mail per event, threaded per incident.</summary>
    public Dictionary<string, EmailOptions> Email { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Mail to customers (their contacts and cadence come from the rules file).</summary>
    public CustomerMailOptions CustomerMail { get; set; } = new();

    /// <summary>
    /// Where a person opens an incident, with <c>{number}</c> for its number (for example
    /// <c>https://helpdesk.example.com/incidents/{number}</c>); sent as the incident's url. Empty: no url.
    /// </summary>
    public string IncidentUrl { get; set; } = "";

    public string UrlOf(string number) => IncidentUrl.Replace("{number}", number, StringComparison.Ordinal);

    /// <summary>
    /// How long an update, a correlated alert or a note waits before it is sent, so that the ones right after it on
    /// the same incident go with it as one message (a storm's thousands of joined alerts are a few messages).
    /// </summary>
    public TimeSpan FoldWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a delivery is kept once sent or given up (what the deliveries API shows an operator); older ones are
    /// deleted every hour, so the outbox stays bounded. Waiting deliveries are never deleted.
    /// </summary>
    public TimeSpan KeepDone { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Messages a channel (webhook, Teams, e-mail) sends in any minute at most; past it, one message says how many
    /// wait, and they follow as the minute frees room. 0: no bound.
    /// </summary>
    public int MaxPerMinute { get; set; } = 60;

    /// <summary>Attempts before a delivery is given up (dead, kept with its reason).</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The first retry's wait; each later one doubles it (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a claimed delivery is this sender's: a sender that dies mid-send lets it be sent again after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one send may take before it counts as failed; shorter than the lease.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries one channel claims at a time: its in-flight window.</summary>
    public int Window { get; set; } = 32;

    public IReadOnlyList<string> ChannelNames => [.. Webhooks.Keys.Concat(Teams.Keys).Concat(Email.Keys).Order(StringComparer.Ordinal)];

    /// <summary>Every problem, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(CustomerMail.Validate());
        foreach (var (name, webhook) in Webhooks)
        {
            if (!ChannelName.IsValid(name))
            {
                errors.Add($"Helpdesk:Outbound:Webhooks:{name}: a channel name is letters, digits, '-' and '_' (up to 64), and not 'nagios' (the service's own)");
            }

            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"Helpdesk:Outbound:Webhooks:{name}:Url must be an absolute http or https URL");
            }
        }

        foreach (var name in Webhooks.Keys.Concat(Teams.Keys).Concat(Email.Keys).GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add($"Helpdesk:Outbound: the channel name '{name}' is used twice (among Webhooks, Teams and Email); routes name channels, so each name must be one channel");
        }

        foreach (var (name, teams) in Teams)
        {
            if (!ChannelName.IsValid(name))
            {
                errors.Add($"Helpdesk:Outbound:Teams:{name}: a channel name is letters, digits, '-' and '_' (up to 64), and not 'nagios' (the service's own)");
            }

            if (!Uri.TryCreate(teams.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"Helpdesk:Outbound:Teams:{name}:Url must be an absolute http or https URL");
            }
        }

        foreach (var (name, email) in Email)
        {
            if (!ChannelName.IsValid(name))
            {
                errors.Add($"Helpdesk:Outbound:Email:{name}: a channel name is letters, digits, '-' and '_' (up to 64), and not 'nagios' (the service's own)");
            }

            errors.AddRange(email.Validate($"Helpdesk:Outbound:Email:{name}"));
        }

        if (IncidentUrl.Length > 0 && !Uri.TryCreate(UrlOf("INC-000001"), UriKind.Absolute, out _))
        {
            errors.Add("Helpdesk:Outbound:IncidentUrl must be an absolute URL (with {number} where the incident number goes)");
        }

        if (FoldWindow < TimeSpan.Zero || FoldWindow > TimeSpan.FromHours(1))
        {
            errors.Add("Helpdesk:Outbound:FoldWindow must be between 0 and one hour");
        }

        if (MaxPerMinute < 0)
        {
            errors.Add("Helpdesk:Outbound:MaxPerMinute must not be negative (0: no bound)");
        }

        if (KeepDone < TimeSpan.FromHours(1))
        {
            errors.Add("Helpdesk:Outbound:KeepDone must be at least 01:00:00");
        }

        if (MaxAttempts < 1)
        {
            errors.Add("Helpdesk:Outbound:MaxAttempts must be at least 1");
        }

        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            errors.Add("Helpdesk:Outbound:RetryDelay must be positive and at most MaxRetryDelay");
        }

        if (SendTimeout <= TimeSpan.Zero)
        {
            errors.Add("Helpdesk:Outbound:SendTimeout must be positive (how long a receiver has to answer)");
        }
        else if (Lease <= SendTimeout)
        {
            errors.Add("Helpdesk:Outbound:Lease must be longer than SendTimeout (a send must end before its claim lapses)");
        }

        if (Window < 1)
        {
            errors.Add("Helpdesk:Outbound:Window must be at least 1");
        }

        return errors;
    }
}

/// <summary>One generic webhook.</summary>
public sealed class WebhookOptions
{
    public string Url { get; set; } = "";

    /// <summary>When set, each request is signed (HMAC-SHA256 of the timestamp and body; see <see cref="WebhookSignature"/>).</summary>
    public string Secret { get; set; } = "";
}

/// <summary>Channel names: what routes and metrics labels use.</summary>
public static class ChannelName
{
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && name != NagiosAcknowledgements.ChannelName;
}
