using System.CommandLine;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Cli;

/// <summary><c>helpdesk rules check FILE</c>: validates a rules file before the service is restarted with it.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The rules file (JSON)" };
        var check = new Command("check", "Validate a rules file; every error names its setting") { file };
        check.SetAction(parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            var (rules, errors) = LocalFiles.ReadRules(path);
            if (rules is null)
            {
                foreach (var error in errors)
                {
                    Console.Error.WriteLine($"{path}: {error}");
                }

                return 1;
            }

            var storm = rules.Correlation.Storm;
            Console.WriteLine($"{path}: OK ({IncidentText.Counted(rules.Priority.Impact.Count, "impact rule")}, {IncidentText.Counted(rules.Routing.Categories.Count, "category rule")}, "
                + $"{IncidentText.Counted(rules.Routing.Routes.Count, "route")}, {IncidentText.Counted(rules.Correlation.Groups.Count, "group")}, resolve {ResolveWord(rules.Correlation.Resolve)}, "
                + $"storm {(storm.Enabled ? $"above {storm.EnterPerMinute}/min" : "off")}, {IncidentText.Counted(rules.Sla.Calendars.Count, "calendar")}, L1 window {Duration.Format(rules.Sla.L1Window)})");
            foreach (var note in rules.Sla.WithoutTimeAtL2())
            {
                Console.WriteLine($"{path}: note: {note}");
            }

            return 0;
        });
        return new Command("rules", "Work with the rules file") { check };
    }

    /// <summary>The rules file's own word for <c>correlation.resolve</c>, not the enum's name.</summary>
    private static string ResolveWord(ResolvePolicy policy) => policy switch
    {
        ResolvePolicy.CauseRecovered => "cause",
        ResolvePolicy.Manual => "manual",
        _ => "all",
    };
}
