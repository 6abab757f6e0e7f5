using System.Globalization;

namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// A rules file in one line, in the file's own words: what <c>helpdesk rules check</c> prints and the service logs when
/// it puts the file in force, so the two can be compared at a glance.
/// </summary>
public static class RulesSummary
{
    public static string Of(HelpdeskRules rules)
    {
        var storm = rules.Correlation.Storm;
        return $"{Counted(rules.Priority.Impact.Count, "impact rule")}, {Counted(rules.Routing.Categories.Count, "category rule")}, "
            + $"{Counted(rules.Routing.Routes.Count, "route")}, {Counted(rules.Correlation.Groups.Count, "group")}, resolve {ResolveWord(rules.Correlation.Resolve)}, "
            + $"storm {(storm.Enabled ? $"above {storm.EnterPerMinute}/min" : "off")}, {Counted(rules.Sla.Calendars.Count, "calendar")}, "
            + $"L1 window {Duration.Format(rules.Sla.L1Window)}";
    }

    private static string Counted(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>The rules file's own word for <c>correlation.resolve</c>, not the enum's name.</summary>
    private static string ResolveWord(ResolvePolicy policy) => policy switch
    {
        ResolvePolicy.CauseRecovered => "cause",
        ResolvePolicy.Manual => "manual",
        _ => "all",
    };
}
