using System.CommandLine;
using Helpdesk.Monitoring.Cli;

var root = new RootCommand("helpdesk: Nagios notifications to helpdesk incidents")
{
    NotifyCommand.Create(),
    CheckCommand.Create(),
    RulesCommand.Create(),
    ReplayCommand.Create(),
    RelayCommand.Create(),
};
// No response files: '@10:20' is a Nagios threshold range, not a file of arguments.
return await root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync();
