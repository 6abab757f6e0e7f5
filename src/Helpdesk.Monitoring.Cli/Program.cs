using System.CommandLine;
using Helpdesk.Monitoring.Cli;

var root = new RootCommand("helpdesk: Nagios notifications to helpdesk incidents")
{
    NotifyCommand.Create(),
    CheckCommand.Create(),
    RulesCommand.Create(),
    ReplayCommand.Create(),
    UsersCommand.Create(),
};
// No response files: '@10:20' is a Nagios threshold range, not a file of arguments.
var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

// The check plugin answers a wrong command line the Nagios way: one line and UNKNOWN, not a usage text and exit 1.
if (parse.Errors.Count > 0 && parse.CommandResult.Command.Name == CheckCommand.Name)
{
    return CheckCommand.UsageError(parse.Errors[0].Message);
}

return await parse.InvokeAsync();
