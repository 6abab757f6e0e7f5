using Microsoft.Playwright;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>
/// Debian's chromium, headless, driven by Playwright: the browser the test command installs (apt-get install
/// chromium), never one Playwright would download.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Instance = browser;
    }

    public IBrowser Instance { get; }

    /// <summary>Where screenshots are kept: artifacts/test-results/board at the repository's root.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Fixtures.Programs.Root, "artifacts", "test-results", "board")).FullName;

    public static async Task<Browser> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: ./build.sh test installs Debian's chromium package");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                // The sandbox needs user namespaces a root test run does not have; the pages are our own.
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
                Timeout = 60_000,
            });
            return new Browser(playwright, browser);
        }
        catch
        {
            // Playwright's driver (a node process) would otherwise live as long as the test run.
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A browser that no longer answers is not waited for: disposing the driver below ends it too.
            await Instance.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            _playwright.Dispose();
        }
    }
}
