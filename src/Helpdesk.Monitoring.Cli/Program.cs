using System.CommandLine;
using Helpdesk.Monitoring.Cli;

var root = new RootCommand("helpdesk: Nagios notifications to helpdesk incidents")
{
    NotifyCommand.Create(),
};
return root.Parse(args).Invoke();
