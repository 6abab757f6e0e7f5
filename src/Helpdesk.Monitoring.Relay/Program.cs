using System.CommandLine;
using Helpdesk.Monitoring.Relay;

var parse = RelayCommand.Create().Parse(args);

// A wrong command line is a configuration the relay refuses: one line a mistake and exit 2, which the unit does not
// restart. Exit 1 with the whole usage text, as before, made systemd start it again every two seconds with the same
// mistake, filling the journal with the usage.
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"helpdesk-relay: {error.Message}");
    }

    Console.Error.WriteLine("(helpdesk-relay --help shows the usage)");
    return 2;
}

return await parse.InvokeAsync();
