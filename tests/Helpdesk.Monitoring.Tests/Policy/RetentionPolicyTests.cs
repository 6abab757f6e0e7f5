using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Policy;

public sealed class RetentionPolicyTests
{
    [Fact]
    public void Closed_incidents_archive_after_ninety_days_and_whole_months_expire_after_twenty_four_by_default()
    {
        var policy = new RetentionPolicy();
        var now = new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddDays(-90), policy.ArchiveCutoff(now));
        // Everything closed before November 2024 goes: the month as a whole, whatever the day today.
        Assert.Equal(new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.Zero), policy.ExpiryCutoff(now));
        Assert.Equal(new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.Zero), policy.ExpiryCutoff(new DateTimeOffset(2026, 11, 1, 0, 30, 0, TimeSpan.FromHours(2)).AddHours(24)));
        Assert.Null((policy with { KeepArchiveMonths = 0 }).ExpiryCutoff(now));
        Assert.Empty(policy.Problems("retention:"));
    }

    [Fact]
    public void The_rules_file_overrides_what_it_gives_and_refuses_what_makes_no_sense()
    {
        var (rules, errors) = RulesFile.Parse("""{ "version": 1, "retention": { "archiveAfter": "30d", "expired": "export" } }""");
        Assert.Empty(errors);
        var policy = rules!.Retention!.ApplyTo(new RetentionPolicy { KeepArchiveMonths = 6 });
        Assert.Equal((TimeSpan.FromDays(30), 6, ExpiredArchive.Export), (policy.ArchiveAfter, policy.KeepArchiveMonths, policy.Expired));

        Assert.Contains("retention.expired: must be \"delete\" or \"export\"",
            RulesFile.Parse("""{ "version": 1, "retention": { "expired": "shred" } }""").Errors);
        Assert.Contains("retention.keepArchiveMonths: must be a whole number of at least 0",
            RulesFile.Parse("""{ "version": 1, "retention": { "keepArchiveMonths": -1 } }""").Errors);
        Assert.Contains(RulesFile.Parse("""{ "version": 1, "retention": { "archiveAfter": "30s" } }""").Errors, e => e.Contains("at least one minute", StringComparison.Ordinal));
        Assert.Contains(RulesFile.Parse("""{ "version": 1, "retention": { "archiveAfter": "400d", "keepArchiveMonths": 12 } }""").Errors,
            e => e.Contains("longer than archiveAfter", StringComparison.Ordinal));
        Assert.Contains("retention.keep: unknown setting", RulesFile.Parse("""{ "version": 1, "retention": { "keep": 1 } }""").Errors[0], StringComparison.Ordinal);
    }
}
