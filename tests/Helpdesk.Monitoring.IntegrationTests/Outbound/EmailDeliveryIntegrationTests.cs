using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>The service, as a real process, mails its incident events through a real SMTP server (aiosmtpd), threaded per incident.</summary>
public sealed class EmailDeliveryIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_event_is_one_mail_with_number_priority_and_title_in_the_subject_threaded_under_its_incident()
    {
        await using var smtp = await SmtpSink.StartAsync(_dir.Path);
        var settings = OnCall(smtp, "None");
        settings["Helpdesk__Outbound__Email__oncall__To__1"] = "noc@example.com";
        settings["Helpdesk__Outbound__IncidentUrl"] = "https://helpdesk.example.com/incidents/{number}";
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);
        // Nagios' times are now: no SLA clock comes due while the test runs.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await service.IngestAsync(
            Records.Service(NotificationType.Problem, host: "web01", timeT: now) with { HostNotesUrl = "https://wiki.example.com/hosts/web01?a=1&b=2" },
            Records.Service(NotificationType.Acknowledgement, host: "web01", author: "alice", comment: "on it", timeT: now + 1),
            Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", timeT: now + 2));

        // web01: opened, acknowledged; db01: opened.
        var mails = await smtp.WaitForAsync(3, TimeSpan.FromSeconds(30), () => service.Output);
        var web = mails.Where(m => m.Headers["X-Helpdesk-Incident"] == "INC-000001").ToList();
        Assert.Equal(["opened", "acknowledged"], web.Select(m => m.Headers["X-Helpdesk-Event"]));
        Assert.Matches(@"^\[INC-000001\] P\d opened: ", web[0].Subject);
        Assert.Equal(["oncall@example.com", "noc@example.com"], web[0].To.Mailboxes.Select(m => m.Address));
        Assert.Equal("helpdesk@example.com", web[0].From.Mailboxes.Single().Address);

        // Threaded: both name INC-000001's root; each has its own Message-ID, made from its event id.
        Assert.All(web, m =>
        {
            Assert.Equal("INC-000001@example.com", m.InReplyTo);
            Assert.Equal(["INC-000001@example.com"], m.References);

            // Sent by a program: out-of-office replies must not answer it.
            Assert.Equal(("auto-generated", "All"), (m.Headers["Auto-Submitted"], m.Headers["X-Auto-Response-Suppress"]));
        });
        Assert.Equal(web.Count, web.Select(m => m.MessageId).Distinct().Count());
        var db = mails.First(m => m.Headers["X-Helpdesk-Incident"] == "INC-000002");
        Assert.Equal("INC-000002@example.com", db.InReplyTo);

        // Plain text and HTML, both with what happened and where to open it.
        Assert.Contains("Acknowledged in Nagios by alice: on it", web[1].TextBody, StringComparison.Ordinal);
        Assert.Contains("https://helpdesk.example.com/incidents/INC-000001", web[1].TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://helpdesk.example.com/incidents/INC-000001\">", web[1].HtmlBody, StringComparison.Ordinal);
        Assert.Contains("web01 / HTTP", web[0].TextBody, StringComparison.Ordinal);

        // The mail that opens it carries the description, the runbook first, for the person paged; the others do not.
        Assert.Contains("\nHost runbook: https://wiki.example.com/hosts/web01?a=1&b=2\n", web[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("Host runbook: https://wiki.example.com/hosts/web01?a=1&amp;b=2", web[0].HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("runbook", web[1].TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_the_starttls_the_channel_asks_for_fails_the_delivery_in_a_sentence_and_counts_it()
    {
        // aiosmtpd offers no STARTTLS: MailKit refuses with an exception of its own, which once escaped the channel,
        // was logged as a failing store and left the delivery claimed, never counted, never given up.
        await using var smtp = await SmtpSink.StartAsync(_dir.Path);
        var settings = OnCall(smtp, "StartTls");
        settings["Helpdesk__Outbound__MaxAttempts"] = "2";
        settings["Helpdesk__Outbound__RetryDelay"] = "00:00:00.200";
        await using var service = await ServiceProcess.StartAsync(_dir.Path, settings);
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        await service.WaitForMetricAsync("helpdesk_outbound_dead_total{channel=\"oncall\",event=\"opened\"}", v => v == 1, TimeSpan.FromSeconds(30));
        var dead = Assert.Single((await service.GetJsonAsync("/api/v1/deliveries?state=dead&channel=oncall")).GetProperty("items").EnumerateArray());
        Assert.Equal(2, dead.GetProperty("attempts").GetInt32());
        Assert.Equal("the mail server 127.0.0.1:" + smtp.Port + " could not take the mail: The SMTP server does not support the STARTTLS extension "
            + "(the channel's Smtp:Security is StartTls)", dead.GetProperty("lastError").GetString());
        Assert.DoesNotContain("reading or marking the delivery queue failed", service.Output, StringComparison.Ordinal);
        Assert.Empty(smtp.Mails());
    }

    /// <summary>One e-mail channel, oncall, to the test's SMTP server with the given <c>Smtp:Security</c>.</summary>
    private static Dictionary<string, string> OnCall(SmtpSink smtp, string security) => new()
    {
        ["Helpdesk__Outbound__Email__oncall__Smtp__Host"] = "127.0.0.1",
        ["Helpdesk__Outbound__Email__oncall__Smtp__Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Helpdesk__Outbound__Email__oncall__Smtp__Security"] = security,
        ["Helpdesk__Outbound__Email__oncall__From"] = "Helpdesk <helpdesk@example.com>",
        ["Helpdesk__Outbound__Email__oncall__To__0"] = "oncall@example.com",
    };
}
