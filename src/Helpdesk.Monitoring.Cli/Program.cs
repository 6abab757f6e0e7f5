using System.CommandLine;
using Helpdesk.Monitoring.Cli;

var root = new RootCommand("helpdesk: Nagios notifications to helpdesk incidents")
{
    NotifyCommand.Create(),
    CheckCommand.Create(),
    RulesCommand.Create(),
    ReplayCommand.Create(),
    UsersCommand.Create(),
    IncidentsCommand.Create(),
    DeliveriesCommand.Create(),
    StoreCommand.Create(),
    CompletionCommand.Create(),
};
// No response files: '@10:20' is a Nagios threshold range, not a file of arguments.
var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

// The check plugin answers a wrong command line the Nagios way: one line and UNKNOWN, not a usage text and exit 1.
if (parse.Errors.Count > 0 && parse.CommandResult.Command.Name == CheckCommand.Name)
{
    return CheckCommand.UsageError(parse.Errors[0].Message);
}

// The agent's and the administrator's commands say a wrong command line apart from a refusal: exit 2 (1 is "the
// service or the users file said no", 3 "the service could not be reached").
if (parse.Errors.Count > 0 && args.Length > 0 && args[0] is "incidents" or "deliveries" or "users" or "store")
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"helpdesk {args[0]}: {error.Message}");
    }

    Console.Error.WriteLine($"(helpdesk {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2))} --help shows the usage)");
    return 2;
}

return await parse.InvokeAsync();
