using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>
/// The customer kept informed, end to end through a real SMTP server: told when an incident affects them and of notes
/// written for them, asked to confirm the fix (a signed link; a GET only shows the question), the incident closed by
/// their confirmation, and their satisfaction answer recorded on the incident and counted per team in /metrics.
/// </summary>
public sealed partial class CustomerKeptInformedTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_customer_hears_about_their_incident_confirms_the_fix_and_rates_the_service()
    {
        await using var smtp = await SmtpSink.StartAsync(_dir.Path);
        var (service, token) = await StartAsync(smtp);
        await using var stopped = service;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await service.IngestAsync(
            Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", customer: "acme", timeT: now),
            Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", customer: "globex", timeT: now));

        // Opened: to acme's contacts, in German; globex is not in the rules file and hears nothing.
        var opened = Assert.Single(await smtp.WaitForAsync(1, TimeSpan.FromSeconds(30), () => service.Output));
        Assert.Equal("[INC-000001] Wir arbeiten an einer Störung, die Sie betrifft (HTTP auf web01)", opened.Subject);
        Assert.Equal(["it@acme.example", "boss@acme.example"], opened.To.Mailboxes.Select(m => m.Address));
        Assert.DoesNotContain("L1", opened.TextBody, StringComparison.Ordinal);
        // A customer's out-of-office or ticket system must not answer it (a loop of two programs answering each other).
        Assert.Equal("auto-generated", opened.Headers["Auto-Submitted"]);

        // A note for the customer reaches them; an internal one does not.
        await ActAsync(service, token, "notes", """{"text":"internal: the PSU looks bad"}""");
        await ActAsync(service, token, "notes", """{"text":"Ein Techniker ist unterwegs.","forCustomer":true}""");
        await ActAsync(service, token, "resolve", """{"cause":"Netzteil defekt","fix":"Netzteil getauscht"}""");
        var mails = await smtp.WaitForAsync(3, TimeSpan.FromSeconds(30), () => service.Output);
        Assert.Contains("Ein Techniker ist unterwegs.", mails[1].TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(mails, m => m.TextBody!.Contains("PSU", StringComparison.Ordinal));
        var resolved = mails[2];
        Assert.StartsWith("[INC-000001] Gelöst: bitte bestätigen", resolved.Subject, StringComparison.Ordinal);
        Assert.Contains("Ursache: Netzteil defekt", resolved.TextBody, StringComparison.Ordinal);
        var verify = LinkPath(resolved.TextBody!);

        // The link opens a page that only asks; a forged or changed link opens nothing.
        var page = await service.Http.GetStringAsync(verify);
        Assert.Contains("Ist es behoben?", page, StringComparison.Ordinal);
        Assert.Contains("<strong>INC-000001</strong>: HTTP auf web01", page, StringComparison.Ordinal);
        Assert.Equal("resolved", await StatusAsync(service, token));
        Assert.Contains("no longer works", await service.Http.GetStringAsync(verify[..^3] + "AAA"), StringComparison.Ordinal);

        // "Yes, it works": closed now, not after the verification hold; a second click changes nothing.
        // The comment carries an escape sequence no browser form sends: it is kept shown as a replacement character.
        using (var confirmed = await service.Http.PostAsync(verify, Form(("answer", "fixed"), ("comment", "Danke!\u001b[2J"))))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        Assert.Equal("closed", await StatusAsync(service, token));
        // "Still broken" on the closed incident, and the same form sent once more (the second was told "open again").
        for (var click = 0; click < 2; click++)
        {
            using var again = await service.Http.PostAsync(verify, Form(("answer", "broken")));
            var said = await again.Content.ReadAsStringAsync();
            Assert.Contains("Diese Störung ist abgeschlossen", said, StringComparison.Ordinal);
            Assert.DoesNotContain("wieder offen", said, StringComparison.Ordinal);
        }

        Assert.Equal("closed", await StatusAsync(service, token));

        // After closure: the satisfaction question, answered once, on the incident and in /metrics per team.
        mails = await smtp.WaitForAsync(4, TimeSpan.FromSeconds(30), () => service.Output);
        Assert.Equal("[INC-000001] Abgeschlossen: wie zufrieden waren Sie? (HTTP auf web01)", mails[3].Subject);
        var rate = LinkPath(mails[3].TextBody!);
        using (var bad = await service.Http.PostAsync(rate, Form(("score", "9"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using (var rated = await service.Http.PostAsync(rate, Form(("score", "4"), ("comment", "schnell, aber bitte früher informieren"))))
        {
            Assert.Contains("Vielen Dank", await rated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (await service.Http.PostAsync(rate, Form(("score", "1"))))
        {
        }

        var detail = await GetAsync(service, token, "/api/v1/incidents/INC-000001");
        Assert.Equal(4, detail.GetProperty("satisfaction").GetProperty("score").GetInt32());
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("text").GetString() == "Closed: the customer (acme) confirmed the fix: Danke!\uFFFD[2J");
        var metrics = string.Join("\n", (await service.Http.GetStringAsync("/metrics")).Split('\n').Where(l => l.Contains("satisfaction", StringComparison.Ordinal)));
        Assert.True(Regex.IsMatch(metrics, @"helpdesk_satisfaction_ratings_total\{[^}]*score=""4""[^}]*\} 1"), metrics);
        Assert.True(Regex.IsMatch(metrics, @"helpdesk_satisfaction_ratings_total\{[^}]*score=""1""[^}]*\} 0(\n|$)"), metrics);
        Assert.Equal(4, smtp.Mails().Count);
    }

    /// <summary>The service with acme as a German-speaking customer, mail to the test's SMTP server, and one agent.</summary>
    private async Task<(ServiceProcess Service, string Token)> StartAsync(SmtpSink smtp)
    {
        var users = _dir.Combine("users.json");
        var token = await UsersCli.AddAsync(users, "erin", "agent");
        var rules = _dir.Combine("rules.json");
        await File.WriteAllTextAsync(rules, """
            { "version": 1,
              "customers": {
                "acme": { "contacts": ["it@acme.example", "boss@acme.example"], "language": "de", "updateEvery": { "P2": "30m" } }
              } }
            """);
        var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__RulesPath"] = rules,
            ["Helpdesk__Api__UsersPath"] = users,
            ["Helpdesk__Outbound__CustomerMail__Smtp__Host"] = "127.0.0.1",
            ["Helpdesk__Outbound__CustomerMail__Smtp__Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Helpdesk__Outbound__CustomerMail__Smtp__Security"] = "None",
            ["Helpdesk__Outbound__CustomerMail__From"] = "Helpdesk <helpdesk@msp.example>",
            ["Helpdesk__Outbound__CustomerMail__LinkBaseUrl"] = "https://helpdesk.msp.example",
            // A note waits this long for the updates that follow it (30 s by default): short here, so the test is.
            ["Helpdesk__Outbound__FoldWindow"] = "00:00:01",
        });
        return (service, token);
    }

    [Fact]
    public async Task A_customer_who_says_it_is_still_broken_reopens_the_incident_and_a_second_click_tells_the_same()
    {
        await using var smtp = await SmtpSink.StartAsync(_dir.Path);
        var (service, token) = await StartAsync(smtp);
        await using var stopped = service;
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", customer: "acme", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await ActAsync(service, token, "resolve", """{"cause":"Netzteil defekt","fix":"Netzteil getauscht"}""");
        var verify = LinkPath((await smtp.WaitForAsync(2, TimeSpan.FromSeconds(30), () => service.Output))[1].TextBody!);

        for (var click = 0; click < 2; click++)
        {
            using var answered = await service.Http.PostAsync(verify, Form(("answer", "broken"), ("comment", "Seite lädt immer noch nicht")));
            Assert.Contains("Die Störung ist wieder offen", await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("open", await StatusAsync(service, token));
        var timeline = (await GetAsync(service, token, "/api/v1/incidents/INC-000001")).GetProperty("timeline").EnumerateArray()
            .Select(t => t.GetProperty("text").GetString()).ToList();
        Assert.Single(timeline, t => t == "Reopened by the customer (acme): Seite lädt immer noch nicht");
        var reopened = (await smtp.WaitForAsync(3, TimeSpan.FromSeconds(30), () => service.Output))[2];
        Assert.StartsWith("[INC-000001] Wieder geöffnet", reopened.Subject, StringComparison.Ordinal);
    }

    private static string LinkPath(string text) => new Uri(LinkPattern().Match(text).Value).PathAndQuery;

    [GeneratedRegex(@"https://helpdesk\.msp\.example/customer/\S+")]
    private static partial Regex LinkPattern();

    private static FormUrlEncodedContent Form(params (string, string)[] fields) => new(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

    private static async Task ActAsync(ServiceProcess service, string token, string action, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/INC-000001/{action}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await service.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> GetAsync(ServiceProcess service, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await service.Http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string> StatusAsync(ServiceProcess service, string token) =>
        (await GetAsync(service, token, "/api/v1/incidents/INC-000001")).GetProperty("incident").GetProperty("status").GetString()!;
}
