using System.CommandLine;
using System.Text.Json;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// What the commands that call the service's API share: where the service is, whose token, how to print the answer,
/// and how a failure is told (one line, named after the command, and the exit code <see cref="HelpdeskApi"/> chose).
/// </summary>
internal sealed class ApiCommandLine(string name)
{
    public Option<string> Url { get; } = new("--url") { Description = $"The service (default: $HELPDESK_URL, the config file, else {CliSettings.DefaultUrl})", Recursive = true };

    public Option<string> Token { get; } = new("--token") { Description = "Your API token (default: $HELPDESK_TOKEN, else the config file); prefer those: a command line is visible to others", Recursive = true };

    public Option<string> Output { get; } = OutputOption();

    public async Task<int> RunAsync(ParseResult p, Func<HelpdeskApi, Task<int>> run)
    {
        var (settings, error) = CliSettings.Resolve(p.GetValue(Url), p.GetValue(Token));
        if (settings is null)
        {
            return Fail(2, error);
        }

        using var api = new HelpdeskApi(settings);
        return await run(api);
    }

    /// <summary>The answer as it came (--output json), or as <paramref name="table"/> writes it for people.</summary>
    public int Print(ParseResult p, JsonElement body, Func<JsonElement, string> table)
    {
        Console.WriteLine(p.GetValue(Output) == "json" ? body.GetRawText() : table(body));
        return 0;
    }

    public int Fail(int exit, string message)
    {
        Console.Error.WriteLine($"helpdesk {name}: {message}");
        return exit;
    }

    /// <summary>
    /// A count the service takes only within a range: one outside it is refused as a wrong command line, instead of
    /// quietly asking for another count than the one typed (a --limit of 5000 listing 500 as if that were all).
    /// </summary>
    public static Option<int> Between(Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError($"{option.Name} must be from {min} to {max}, not {value}");
            }
        });
        return option;
    }

    private static Option<string> OutputOption()
    {
        var output = new Option<string>("--output", "-o") { Description = "table (default) or json", DefaultValueFactory = _ => "table", Recursive = true };
        output.AcceptOnlyFromAmong("table", "json");
        return output;
    }
}
