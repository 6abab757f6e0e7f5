using System.Net.Http.Headers;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;
using Microsoft.Playwright;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>
/// The board in a real browser: sign in, watch an incident appear live when a notification arrives, acknowledge it,
/// and find the acknowledgement in the API under the person's name; on a desktop and on a phone screen, with an
/// accessibility scan (axe-core) of every page. Screenshots are kept in artifacts/test-results/board.
/// </summary>
public sealed class BoardBrowserTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_agent_signs_in_sees_a_new_incident_live_and_acknowledges_it()
    {
        var users = _dir.Combine("users.json");
        var token = await UsersCli.AddAsync(users, "bob", "agent");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Api__UsersPath"] = users,
            ["Helpdesk__Api__ReadsNeedSignIn"] = "true",
        });
        await using var browser = await Browser.LaunchAsync();
        var context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal))
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };

        // Reads need a sign-in here: the board sends a stranger to the sign-in form.
        await page.GotoAsync($"http://127.0.0.1:{service.Port}/");
        await page.GetByLabel("or API token").WaitForAsync();
        await ScanAsync(page, "sign-in");
        await page.GetByLabel("or API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Incident queue" }).WaitForAsync();
        await page.GetByText("bob (test) (agent, L1)").WaitForAsync();
        await page.GetByText("Live", new() { Exact = true }).WaitForAsync();

        // A notification arrives: the row appears without a reload.
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", customer: "acme",
            output: "CRITICAL - Socket timeout <script>alert(1)</script>", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var row = page.Locator("tr[data-number='INC-000001']");
        await row.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Contains("web01 / HTTP", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Matches("(response|resolution) in", await row.Locator("td[data-label='SLA']").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, "queue.png"), FullPage = true });
        await ScanAsync(page, "queue");

        // The incident page: everything the API has, and the actions. Notification text stays text.
        await row.GetByRole(AriaRole.Link, new() { Name = "INC-000001" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "INC-000001: web01 / HTTP is CRITICAL" }).WaitForAsync();
        Assert.Contains("<script>alert(1)</script>", await page.Locator("pre").First.InnerTextAsync(), StringComparison.Ordinal);
        await ScanAsync(page, "incident");
        await page.GetByLabel("Comment (optional)").FillAsync("looking at it from the board");
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await page.GetByText("Acknowledged in the helpdesk by bob: looking at it from the board").WaitForAsync();
        // Taking it twice: the second click changes nothing, and the board says so in words.
        await ClickUntilShownAsync(page.GetByRole(AriaRole.Button, new() { Name = "Assign" }), page.GetByText("Taken by bob"));
        await ClickUntilShownAsync(page.GetByRole(AriaRole.Button, new() { Name = "Assign" }), page.GetByText("INC-000001: already so, nothing changed"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, "incident.png"), FullPage = true });

        // The API says the same, under the person's name.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/incidents/INC-000001");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await service.Http.SendAsync(request);
        var incident = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("incident");
        Assert.Equal(("acknowledged", "bob"), (incident.GetProperty("status").GetString(), incident.GetProperty("acknowledgedBy").GetString()));

        // On a phone: the queue reads as cards, every control still reachable and labelled.
        var phone = await context.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync($"http://127.0.0.1:{service.Port}/");
        await phone.Locator("tr[data-number='INC-000001']").WaitForAsync();
        var width = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the queue is {width} px wide on a 390 px screen");
        // The incidents come first on a phone: the filters are folded under a line that says which are in force
        // (open, they filled the first screen), and open when asked.
        await Assertions.Expect(phone.Locator("tr[data-number='INC-000001']")).ToBeInViewportAsync();
        var filters = phone.GetByText("Filters: open, acknowledged, newest first");
        Assert.False(await phone.GetByLabel("Team").IsVisibleAsync());
        await filters.ClickAsync();
        await phone.GetByLabel("Team").WaitForAsync();
        await phone.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, "queue-phone.png"), FullPage = true });
        await ScanAsync(phone, "queue on a phone");

        // The keyboard alone reaches the first incident from the top of the page.
        await page.GotoAsync($"http://127.0.0.1:{service.Port}/#/");
        await page.Locator("tr[data-number='INC-000001']").WaitForAsync();
        var reached = false;
        for (var i = 0; i < 40 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<string>("document.activeElement && document.activeElement.textContent") == "INC-000001";
        }

        Assert.True(reached, "Tab never reached the incident's link");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_link_from_a_message_opens_its_incident_after_the_sign_in_it_needs()
    {
        var users = _dir.Combine("users.json");
        var token = await UsersCli.AddAsync(users, "carol", "agent");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Api__UsersPath"] = users,
            ["Helpdesk__Api__ReadsNeedSignIn"] = "true",
        });
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        // The path a mail or a Teams card links to leads to the board's page of the incident; nothing else is sent on.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = service.Http.BaseAddress };
        using (var link = await http.GetAsync("/incidents/inc-000001"))
        {
            Assert.Equal((System.Net.HttpStatusCode.Redirect, "/#/incident/INC-000001"), (link.StatusCode, link.Headers.Location?.OriginalString));
        }

        foreach (var wrong in new[] { "42", "INC-0", "https:%2F%2Fevil.example" })
        {
            using var refused = await http.GetAsync("/incidents/" + wrong);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains("incident numbers look like INC-000042", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Followed by someone not signed in: the sign-in form, then the incident (it once went to the queue).
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Instance.NewPageAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync($"http://127.0.0.1:{service.Port}/incidents/INC-000001");
        await page.GetByLabel("or API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "INC-000001: web01 / HTTP is CRITICAL" }).WaitForAsync();
        Assert.EndsWith("/#/incident/INC-000001", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_reading_an_incident_without_a_sign_in_signs_in_to_act_and_is_back_on_it()
    {
        var users = _dir.Combine("users.json");
        var token = await UsersCli.AddAsync(users, "dana", "agent");
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Api__UsersPath"] = users });
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        // Reads are open on loopback: the incident shows, its actions ask for a sign-in, which leads back to it.
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Instance.NewPageAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync($"http://127.0.0.1:{service.Port}/incidents/INC-000001");
        await page.GetByRole(AriaRole.Heading, new() { Name = "INC-000001: web01 / HTTP is CRITICAL" }).WaitForAsync();
        await page.GetByRole(AriaRole.Complementary, new() { Name = "Actions" }).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("or API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).WaitForAsync();
        Assert.EndsWith("/#/incident/INC-000001", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_finds_an_archived_incident_by_customer_and_reads_it_whole()
    {
        // A store where web01's HTTP check (INC-000001) was merged into its host's incident, closed, and archived
        // by the retention loop 91 days later.
        await using (var store = new Helpdesk.Monitoring.Sqlite.SqliteIncidentStore(new() { Path = _dir.Combine("helpdesk.db") }))
        {
            await store.InitializeAsync(default);
            Assert.True((await store.CommitAsync(Stores.Plans.Decide(new Helpdesk.Monitoring.Incidents.IncidentDecider(new Helpdesk.Monitoring.Incidents.IncidentPolicy(), [], 0, 0),
                Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", customer: "acme"),
                Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 10)), default)).IsCommitted);
            var readiness = new Helpdesk.Monitoring.Hosting.PipelineReadiness();
            readiness.StoreOpened();
            var archiving = new Helpdesk.Monitoring.Hosting.Retention.IncidentArchiving(store, store, () => new Helpdesk.Monitoring.Policy.RetentionPolicy(),
                new Helpdesk.Monitoring.Files.ArchiveExport(_dir.Combine("export")), new Helpdesk.Monitoring.Telemetry.HelpdeskMetrics(), readiness,
                new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Records.T0).AddDays(91)),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<Helpdesk.Monitoring.Hosting.Retention.IncidentArchiving>.Instance);
            Assert.Equal((1L, 0L), await archiving.RunOnceAsync(default));
        }

        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Instance.NewPageAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync($"http://127.0.0.1:{service.Port}/");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Incident queue" }).WaitForAsync();
        await page.Locator("tr[data-number='INC-000002']").WaitForAsync();
        Assert.Equal(0, await page.Locator("tr[data-number='INC-000001']").CountAsync());

        await page.GetByLabel("Customer", new() { Exact = true }).FillAsync("acme");
        await page.GetByLabel("Search the archive (by customer or host)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var row = page.Locator("tr[data-number='INC-000001']");
        await row.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("closed", await row.Locator("td.status").TextContentAsync());
        Assert.Equal(0, await page.Locator("tr[data-number='INC-000002']").CountAsync());
        await ScanAsync(page, "archive search");

        await row.GetByRole(AriaRole.Link, new() { Name = "INC-000001" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "INC-000001: web01 / HTTP is CRITICAL" }).WaitForAsync();
        await page.GetByText("Merged into INC-000002", new() { Exact = false }).First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, "archived-incident.png"), FullPage = true });
    }

    [Fact]
    public async Task The_queue_keeps_up_while_incidents_change_without_a_pause()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Instance.NewPageAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync($"http://127.0.0.1:{service.Port}/");
        await page.GetByText("Live", new() { Exact = true }).WaitForAsync();

        // A new incident every 100 ms for up to 12 s, as in a storm: never the quiet 250 ms the board's refresh once
        // waited for, so the queue stood still until the stream stopped.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(12));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var streaming = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await service.IngestAsync(Records.Service(NotificationType.Problem, host: $"stream{i:D3}", service: "Load", timeT: now));
                await Task.Delay(100);
            }
        });

        await page.Locator("tr[data-number='INC-000003']").WaitForAsync(new() { Timeout = 8_000 });
        Assert.False(stop.IsCancellationRequested, "the queue showed INC-000003 only after the stream stopped");
        await stop.CancelAsync();
        await streaming;
    }

    [Fact]
    public async Task An_admin_sends_a_channels_dead_delivery_again_from_the_board()
    {
        var users = _dir.Combine("users.json");
        var token = await UsersCli.AddAsync(users, "olga", "admin");
        await using var receiver = new WebhookReceiver();
        receiver.FailNext(1, status: 422);
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Api__UsersPath"] = users,
            ["Helpdesk__Outbound__Webhooks__ops__Url"] = receiver.Url,
            ["Helpdesk__Outbound__Webhooks__ops__Secret"] = WebhookReceiver.Secret,
        });
        await service.IngestAsync(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await service.WaitForAsync("/api/v1/deliveries?state=dead", d => d.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(30));

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Instance.NewPageAsync(new() { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync($"http://127.0.0.1:{service.Port}/#/sign-in");

        // The board's refresh (after a live event, every 30 s) leaves the sign-in form alone, wherever the focus is.
        await page.GetByLabel("or API token").WaitForAsync();
        await page.EvaluateAsync("() => { document.activeElement.blur(); scheduleRefresh(); }");
        await page.WaitForTimeoutAsync(1500);
        Assert.True(await page.GetByLabel("or API token").IsVisibleAsync(), await page.Locator("main").InnerTextAsync());
        await page.GetByLabel("or API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Deliveries" }).ClickAsync();

        // The channel's backlog, the dead delivery with the receiver's answer, and the way to send it again.
        await page.GetByRole(AriaRole.Heading, new() { Name = "Deliveries" }).WaitForAsync();
        Assert.Matches(@"^ops\s+0\s+1\s+Send 1 again$", (await page.Locator("tr[data-channel='ops']").InnerTextAsync()).Trim());
        Assert.Contains("answered 422", await page.Locator("tr[data-event]").InnerTextAsync(), StringComparison.Ordinal);
        await ScanAsync(page, "deliveries");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.Screenshots, "deliveries.png"), FullPage = true });

        // On a phone the page stays within the screen: the tables scroll sideways inside it.
        await page.SetViewportSizeAsync(390, 844);
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the deliveries page is {width} px wide on a 390 px screen");
        await ScanAsync(page, "deliveries on a phone");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send 1 again" }).ClickAsync();
        await page.GetByText("ops: 1 re-queued, 0 still dead").WaitForAsync();
        var taken = await receiver.WaitForAsync(t => t.Any(r => r.Event == "opened"), TimeSpan.FromSeconds(30), () => service.Output);
        Assert.Equal(["opened"], taken.Select(t => t.Event));
        Assert.Contains("olga re-queued 1 dead deliveries of channel ops", service.Output, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    /// <summary>
    /// Clicks until <paramref name="shown"/> appears (three tries). The action before and the live stream may both still
    /// redraw the incident: a click whose press and release straddle a redraw reaches no button (the browser's rule, not
    /// the board's). Taking an incident twice changes nothing, so a second click is safe.
    /// </summary>
    private static async Task ClickUntilShownAsync(ILocator button, ILocator shown)
    {
        for (var attempt = 1; ; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await shown.WaitForAsync(new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task ScanAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}").ToList();
        Assert.True(serious.Count == 0, $"accessibility on the {what} page:\n{string.Join("\n", serious)}");
    }
}
