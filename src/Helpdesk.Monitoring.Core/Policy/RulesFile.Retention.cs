using System.Text.Json;

namespace Helpdesk.Monitoring.Policy;

public static partial class RulesFile
{
    /// <summary>The "retention" section: what it gives overrides the service's configuration (Helpdesk:Retention).</summary>
    private static RetentionRules ReadRetention(JsonElement e, List<string> errors)
    {
        if (!IsObject(e, "retention", errors))
        {
            return new RetentionRules();
        }

        Known(e, "retention.", errors, "archiveAfter", "keepArchiveMonths", "expired");
        ExpiredArchive? expired = null;
        if (Text(e, "expired", "retention", errors, required: false) is { } text)
        {
            expired = text switch
            {
                "delete" => ExpiredArchive.Delete,
                "export" => ExpiredArchive.Export,
                _ => Invalid<ExpiredArchive?>("retention.expired: must be \"delete\" or \"export\"", errors, null),
            };
        }

        var rules = new RetentionRules(
            OptionalDuration(e, "archiveAfter", "retention", errors, allowZero: false),
            Int(e, "keepArchiveMonths", "retention", errors, min: 0),
            expired);
        errors.AddRange(rules.ApplyTo(new RetentionPolicy()).Problems("retention:"));
        return rules;
    }
}

/// <summary>The rules file's "retention" section: each value given replaces the configured one.</summary>
public sealed record RetentionRules(TimeSpan? ArchiveAfter = null, int? KeepArchiveMonths = null, ExpiredArchive? Expired = null)
{
    public RetentionPolicy ApplyTo(RetentionPolicy configured) => configured with
    {
        ArchiveAfter = ArchiveAfter ?? configured.ArchiveAfter,
        KeepArchiveMonths = KeepArchiveMonths ?? configured.KeepArchiveMonths,
        Expired = Expired ?? configured.Expired,
    };
}
