using Helpdesk.Monitoring.Cli;

namespace Helpdesk.Monitoring.Tests.Cli;

public sealed class CheckCommandTests
{
    [Theory]
    [InlineData("10", 11, true)]
    [InlineData("10", 10, false)]
    [InlineData("10", -1, true)]
    [InlineData("10:", 9, true)]
    [InlineData("10:", 1e9, false)]
    [InlineData("~:10", -1e9, false)]
    [InlineData("~:10", 11, true)]
    [InlineData("10:20", 15, false)]
    [InlineData("10:20", 21, true)]
    [InlineData("@10:20", 15, true)]
    [InlineData("@10:20", 21, false)]
    public void Ranges_follow_the_monitoring_plugins_guidelines(string text, double value, bool alerts)
    {
        Assert.True(NagiosRange.TryParse(text, out var range));
        Assert.Equal(alerts, range!.Alerts(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("20:10")]
    [InlineData("@")]
    public void Bad_ranges_are_refused(string text) => Assert.False(NagiosRange.TryParse(text, out _));

    [Fact]
    public void Backlog_thresholds_set_the_state_and_perfdata_follows_the_format()
    {
        NagiosRange.TryParse("1000", out var w);
        NagiosRange.TryParse("10000", out var c);
        Assert.Equal(CheckCommand.Ok, CheckCommand.Evaluate(new HelpdeskStatus(true, "ready", 3, 12, 0), w!, c!).Code);
        Assert.Contains("dead-lettered, no topology |", CheckCommand.Evaluate(new HelpdeskStatus(true, "ready; no topology\n", 3, 12, 0), w!, c!).Line, StringComparison.Ordinal);
        Assert.Equal(CheckCommand.Warning, CheckCommand.Evaluate(new HelpdeskStatus(true, "ready", 1001, 12, 0), w!, c!).Code);
        var (code, line) = CheckCommand.Evaluate(new HelpdeskStatus(true, "ready", 20000, 12, 2), w!, c!);
        Assert.Equal(CheckCommand.Critical, code);
        Assert.Equal("HELPDESK CRITICAL - ready, spool backlog 20000, 12 active incidents, 2 dead-lettered | backlog=20000;1000;10000;0; active=12;;;0; dead_letters=2c set_aside=0;;;0; given_up=0;;;0;", line);
        Assert.Equal(CheckCommand.Critical, CheckCommand.Evaluate(new HelpdeskStatus(false, "not ready: rebuilding", 0, 0, 0), w!, c!).Code);
    }

    [Fact]
    public void Deliveries_given_up_warn_unless_the_range_allows_them()
    {
        NagiosRange.TryParse("1000", out var w);
        NagiosRange.TryParse("10000", out var c);
        NagiosRange.TryParse("0", out var none);
        NagiosRange.TryParse("5", out var five);
        var status = new HelpdeskStatus(true, "ready", 3, 12, 0) { GivenUp = 2 };

        var (code, line) = CheckCommand.Evaluate(status, w!, c!, none, none);
        Assert.Equal(CheckCommand.Warning, code);
        Assert.Equal("HELPDESK WARNING - ready, spool backlog 3, 12 active incidents, 0 dead-lettered, 2 outbound deliveries given up ('helpdesk deliveries list' shows why; requeue them once the receiver is mended) | backlog=3;1000;10000;0; active=12;;;0; dead_letters=0c set_aside=0;0;;0; given_up=2;0;;0;", line);
        Assert.Equal(CheckCommand.Ok, CheckCommand.Evaluate(status, w!, c!, none, five).Code);
        Assert.Equal(CheckCommand.Ok, CheckCommand.Evaluate(status with { GivenUp = 0 }, w!, c!, none, none).Code);
    }

    [Fact]
    public void A_refused_rules_reload_is_a_warning_that_says_what_is_in_force()
    {
        NagiosRange.TryParse("1000", out var w);
        NagiosRange.TryParse("10000", out var c);
        var (code, line) = CheckCommand.Evaluate(new HelpdeskStatus(true, "ready", 3, 12, 0) { RulesRefused = true }, w!, c!);
        Assert.Equal(CheckCommand.Warning, code);
        Assert.StartsWith("HELPDESK WARNING - ready, spool backlog 3, 12 active incidents, 0 dead-lettered, the last reload of the rules file was refused, "
            + "so the rules read before are in force (the service's log says why; mend the file and reload again) | ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Sums_a_metric_family_over_its_labels()
    {
        const string text = "# TYPE x counter\nhelpdesk_x_total{a=\"1\"} 2\nhelpdesk_x_total{a=\"2\"} 3.5\nhelpdesk_x_totally 100\n";
        Assert.Equal(5.5, HelpdeskStatus.Sum(text, "helpdesk_x_total"));
    }
}
