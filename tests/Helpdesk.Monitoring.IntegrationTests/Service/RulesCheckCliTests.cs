using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary><c>helpdesk rules check FILE</c>, the native command, as an administrator runs it before a restart.</summary>
public sealed class RulesCheckCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_good_file_is_summed_up_in_the_rules_file_s_own_words()
    {
        var rules = _dir.Combine("rules.json");
        await File.WriteAllTextAsync(rules, """
            { "version": 1,
              "correlation": { "resolve": "cause" },
              "sla": { "l1Window": "20m", "targets": { "P2": { "response": "30m", "resolution": "8h", "calendar": "24x7" } } } }
            """);

        var (code, stdout, stderr) = await ExternalCommand.RunAsync(Programs.NativeCli, ["rules", "check", rules]);

        Assert.True(code == 0, stderr);
        // P1 keeps its default response target, 15m, under a 20m L1 window: said, not refused.
        Assert.Equal($"{rules}: OK (0 impact rules, 0 category rules, 0 routes, 0 groups, resolve cause, storm above 100/min, 1 calendar, L1 window 20m)\n"
            + $"{rules}: note: P1's response target (15m) is not longer than sla.l1Window (20m): an unacknowledged P1 goes from L1 to L3 at its breach, without time at L2\n",
            stdout);
    }

    [Fact]
    public async Task Every_mistake_is_named_by_its_place_and_the_check_fails()
    {
        var rules = _dir.Combine("rules.json");
        await File.WriteAllTextAsync(rules, """{ "version": 1, "sla": { "l1Window": "banana" }, "bogus": 1 }""");

        var (code, stdout, stderr) = await ExternalCommand.RunAsync(Programs.NativeCli, ["rules", "check", rules]);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains($"{rules}: bogus: unknown setting (known here: version, ", stderr, StringComparison.Ordinal);
        Assert.Contains($"{rules}: sla.l1Window: must be a duration such as \"90s\", \"15m\"", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await ExternalCommand.RunAsync(Programs.NativeCli, ["rules", "check", "/dev/zero"]);
        Assert.Equal(1, code);
        Assert.Contains("/dev/zero is a character device, not a regular file", stderr, StringComparison.Ordinal);
    }
}
