using System.CommandLine;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Cli;

/// <summary><c>helpdesk rules check FILE</c>: validates a rules file before the service is told to read it.</summary>
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

            Console.WriteLine($"{path}: OK ({RulesSummary.Of(rules)})");
            foreach (var note in rules.Sla.WithoutTimeAtL2())
            {
                Console.WriteLine($"{path}: note: {note}");
            }

            return 0;
        });
        return new Command("rules", "Work with the rules file") { check };
    }
}
