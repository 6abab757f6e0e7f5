using System.CommandLine;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk incidents</c>: the on-call agent's command line, like amtool for Alertmanager. list, show, ack, assign,
/// note, priority, resolve, reopen, against the service's API with the person's own token.
/// </summary>
internal static class IncidentsCommand
{
    public static Command Create()
    {
        var api = new ApiCommandLine("incidents");
        var number = new Argument<string>("NUMBER") { Description = "The incident, as INC-000042 (or just 42)" };
        // A number that cannot be one is a wrong command line (exit 2), told before anything is asked of the service.
        number.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>();
            if (Number(text) is null)
            {
                result.AddError($"NUMBER must be an incident number such as INC-000042 or 42, not '{text}'");
            }
        });

        var status = new Option<string>("--status") { Description = "open, acknowledged, resolved, closed; several comma-separated (default: open,acknowledged)", DefaultValueFactory = _ => "open,acknowledged" };
        status.CompletionSources.Add("open,acknowledged", "open", "acknowledged", "resolved", "closed");
        var team = new Option<string>("--team") { Description = "Only this team's incidents" };
        var tier = new Option<string>("--tier") { Description = "Only incidents at this tier (L1, L2, L3)" };
        tier.CompletionSources.Add("L1", "L2", "L3");
        var priority = new Option<string>("--priority") { Description = "P1 to P5; several comma-separated" };
        priority.CompletionSources.Add("P1", "P2", "P3", "P4", "P5");
        var customer = new Option<string>("--customer") { Description = "Only this customer's incidents" };
        var assigned = new Option<string>("--assigned-to") { Description = "Only incidents assigned to this user name" };
        var sort = new Option<string>("--sort") { Description = "newest (default) or due (nearest SLA deadline first)", DefaultValueFactory = _ => "newest" };
        sort.AcceptOnlyFromAmong("newest", "due");
        var host = new Option<string>("--host") { Description = "Only this host's incidents" };
        var archived = new Option<bool>("--archived") { Description = "Search the archive (closed incidents past the retention) by --customer or --host instead of the queue" };
        var limit = ApiCommandLine.Between(new Option<int>("--limit") { Description = "At most this many (1 to 500)", DefaultValueFactory = _ => 50 }, 1, 500);

        var list = new Command("list", "The queue: open and acknowledged incidents, filtered") { status, team, tier, priority, customer, host, assigned, sort, archived, limit };
        list.SetAction(p => api.RunAsync(p, async service =>
        {
            var pageSize = ("pageSize", p.GetValue(limit).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var query = string.Join("&", (p.GetValue(archived)
                ? new[] { ("archived", "true"), ("customer", p.GetValue(customer)), ("host", p.GetValue(host)), pageSize }
                : new[]
                {
                    ("status", p.GetValue(status)), ("team", p.GetValue(team)), ("tier", p.GetValue(tier)), ("priority", p.GetValue(priority)),
                    ("customer", p.GetValue(customer)), ("host", p.GetValue(host)), ("assignedTo", p.GetValue(assigned)), ("sort", p.GetValue(sort)), pageSize,
                }).Where(q => !string.IsNullOrEmpty(q.Item2)).Select(q => $"{q.Item1}={HelpdeskApi.Encode(q.Item2!)}"));
            var (body, exit, error) = await service.GetAsync("api/v1/incidents?" + query);
            return exit != 0 ? api.Fail(exit, error) : api.Print(p, body, IncidentText.Table);
        }));

        var show = new Command("show", "One incident: its facts, members, timeline and the customer's history") { number };
        show.SetAction(p => api.RunAsync(p, async service =>
        {
            var (body, exit, error) = await service.GetAsync($"api/v1/incidents/{HelpdeskApi.Encode(Number(p.GetValue(number))!)}");
            return exit != 0 ? api.Fail(exit, error) : api.Print(p, body, IncidentText.Detail);
        }));

        var comment = new Option<string>("--comment", "-m") { Description = "Why, for the timeline" };
        var ack = new Command("ack", "Acknowledge: you are on it (stops escalation)") { number, comment };
        ack.SetAction(p => Act(p, api, number, "acknowledge", ("comment", p.GetValue(comment))));

        var user = new Argument<string>("USER") { Description = "The user name it goes to (yourself, or anyone if you are a lead)" };
        var assign = new Command("assign", "Give the incident to a person") { number, user, comment };
        assign.SetAction(p => Act(p, api, number, "assign", ("to", p.GetValue(user)), ("comment", p.GetValue(comment))));

        var text = new Argument<string>("TEXT") { Description = "The note" };
        var forCustomer = new Option<bool>("--customer") { Description = "For the customer: their status updates carry it" };
        var note = new Command("note", "Add a note (internal, or for the customer)") { number, text, forCustomer };
        note.SetAction(p => Act(p, api, number, "notes", ("text", p.GetValue(text)), ("forCustomer", p.GetValue(forCustomer))));

        var newPriority = new Argument<string>("PRIORITY") { Description = "P1 to P5" };
        newPriority.CompletionSources.Add("P1", "P2", "P3", "P4", "P5");
        var reason = new Option<string>("--reason", "-m") { Description = "Why (required for a priority change)" };
        var prioritize = new Command("priority", "Set the priority, with a reason (leads and admins)") { number, newPriority, reason };
        prioritize.SetAction(p => Act(p, api, number, "priority", ("priority", p.GetValue(newPriority)?.ToUpperInvariant()), ("reason", p.GetValue(reason))));

        var cause = new Option<string>("--cause") { Description = "What went wrong (required)", Required = true };
        var fix = new Option<string>("--fix") { Description = "What put it right (required)", Required = true };
        var resolve = new Command("resolve", "Resolve, with the cause and the fix") { number, cause, fix };
        resolve.SetAction(p => Act(p, api, number, "resolve", ("cause", p.GetValue(cause)), ("fix", p.GetValue(fix))));

        var reopen = new Command("reopen", "Reopen a resolved incident: the fix did not hold") { number, reason };
        reopen.SetAction(p => Act(p, api, number, "reopen", ("reason", p.GetValue(reason))));

        return new Command("incidents", "Work incidents from the command line: list, show, ack, assign, note, priority, resolve, reopen")
        {
            api.Url, api.Token, api.Output, list, show, ack, assign, note, prioritize, resolve, reopen,
        };
    }

    private static Task<int> Act(ParseResult p, ApiCommandLine api, Argument<string> number, string verb, params (string, object?)[] fields) =>
        api.RunAsync(p, async service =>
        {
            var id = Number(p.GetValue(number))!;
            var (body, exit, error) = await service.PostAsync($"api/v1/incidents/{HelpdeskApi.Encode(id)}/{verb}", HelpdeskApi.Body(fields));
            if (exit != 0)
            {
                return api.Fail(exit, $"{id}: {error}");
            }

            return api.Print(p, body, b => $"{id}: {Said(b.GetProperty("outcome").GetString())} ({IncidentText.Summary(b.GetProperty("incident"))})");
        });

    /// <summary>The API's outcome as a person reads it: "repeated" alone did not say that nothing changed.</summary>
    private static string? Said(string? outcome) => outcome switch
    {
        "repeated" => "already so, nothing changed",
        "redelivered" => "done before (the same request again), nothing changed",
        _ => outcome,
    };

    /// <summary>"42" and "inc-42" mean INC-000042; null for what cannot be a number (incidents count from 1).</summary>
    private static string? Number(string? text)
    {
        var digits = text is not null && text.StartsWith("INC-", StringComparison.OrdinalIgnoreCase) ? text[4..] : text;
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? $"INC-{id:000000}"
            : null;
    }
}
