using System.CommandLine;
using System.Globalization;
using System.Net;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk check</c>: a Nagios check plugin for the helpdesk service itself (installed as check_helpdesk).
/// One line "HELPDESK STATE - text | perfdata", exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, per the
/// monitoring-plugins guidelines; -w/-c are ranges on the spool backlog, -r on the inputs set aside, -g on the outbound
/// deliveries given up; a refused reload of the rules file is a warning.
/// </summary>
internal static class CheckCommand
{
    public const int Ok = 0;
    public const int Warning = 1;
    public const int Critical = 2;
    public const int Unknown = 3;

    public const string Name = "check";

    /// <summary>
    /// The plugin's answer when its own command line is wrong: one line, exit 3 (UNKNOWN), as the monitoring-plugins
    /// guidelines ask, instead of a usage text Nagios would show as the service's output.
    /// </summary>
    public static int UsageError(string error)
    {
        Console.WriteLine($"HELPDESK UNKNOWN - {error} (see check_helpdesk --help)");
        return Unknown;
    }

    public static Command Create()
    {
        var host = new Option<string>("--hostname", "-H") { Description = "Service address (default 127.0.0.1)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "Service port (default 8080)", DefaultValueFactory = _ => 8080 };
        var warning = new Option<string>("--warning", "-w") { Description = "Spool backlog range for WARNING (default 1000)", DefaultValueFactory = _ => "1000" };
        var critical = new Option<string>("--critical", "-c") { Description = "Spool backlog range for CRITICAL (default 10000)", DefaultValueFactory = _ => "10000" };
        var timeout = new Option<int>("--timeout", "-t") { Description = "Seconds before giving up (default 10)", DefaultValueFactory = _ => 10 };
        var setAside = new Option<string>("--set-aside", "-r")
        {
            Description = "Range on the inputs kept in the spool's rejected/ and quarantine/ folders for WARNING (default 0: any is a warning)",
            DefaultValueFactory = _ => "0",
        };
        var givenUp = new Option<string>("--given-up", "-g")
        {
            Description = "Range on the outbound deliveries given up (people not told: webhooks, Teams, e-mail, Nagios, customers) for WARNING (default 0: any is a warning)",
            DefaultValueFactory = _ => "0",
        };
        var version = new Option<bool>("--version", "-V") { Description = "Print the plugin's version and exit (UNKNOWN, as the guidelines ask)" };
        var command = new Command(Name, "Nagios check plugin: is the helpdesk service ready, and is its spool draining?")
        {
            host, port, warning, critical, timeout, setAside, givenUp, version,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(version))
            {
                Console.WriteLine($"check_helpdesk (helpdesk) {typeof(CheckCommand).Assembly.GetName().Version?.ToString(3)}");
                return Unknown;
            }

            if (!NagiosRange.TryParse(parse.GetValue(warning)!, out var w) || !NagiosRange.TryParse(parse.GetValue(critical)!, out var c)
                || !NagiosRange.TryParse(parse.GetValue(setAside)!, out var r) || !NagiosRange.TryParse(parse.GetValue(givenUp)!, out var g))
            {
                return UsageError("-w, -c, -r and -g take ranges such as 1000, 10:, ~:500 or @10:20");
            }

            if (parse.GetValue(port) is < 1 or > 65535)
            {
                return UsageError($"-p {parse.GetValue(port)} is not a TCP port (1-65535)");
            }

            if (parse.GetValue(timeout) is < 1 or > 3600)
            {
                return UsageError($"-t {parse.GetValue(timeout)} must be between 1 and 3600 seconds");
            }

            var (code, line) = await RunAsync(parse.GetValue(host)!, parse.GetValue(port), w!, c!, r!, g!, TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken);
            Console.WriteLine(line);
            return code;
        });
        return command;
    }

    public static async Task<(int Code, string Line)> RunAsync(string host, int port, NagiosRange warning, NagiosRange critical, NagiosRange setAside,
        NagiosRange givenUp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        HelpdeskStatus status;
        try
        {
            status = await ReadAsync(new Uri($"http://{host}:{port}"), timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return (Critical, $"HELPDESK CRITICAL - cannot read http://{host}:{port}: {ex.Message}");
        }

        return Evaluate(status, warning, critical, setAside, givenUp);
    }

    public static (int Code, string Line) Evaluate(HelpdeskStatus s, NagiosRange warning, NagiosRange critical, NagiosRange? setAside = null,
        NagiosRange? givenUp = null)
    {
        var perf = string.Create(CultureInfo.InvariantCulture,
            $"backlog={s.SpoolBacklog};{warning.Text};{critical.Text};0; active={s.ActiveIncidents};;;0; dead_letters={s.DeadLettered}c set_aside={s.SetAside};{setAside?.Text};;0; given_up={s.GivenUp};{givenUp?.Text};;0;");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"spool backlog {s.SpoolBacklog}, {s.ActiveIncidents} active incidents, {s.DeadLettered} dead-lettered");
        if (s.SetAside > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {s.SetAside} {(s.SetAside == 1 ? "input" : "inputs")} set aside in the spool's rejected/ and quarantine/ folders (read them, then remove them)");
        }

        if (s.GivenUp > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture,
                $", {s.GivenUp} outbound {(s.GivenUp == 1 ? "delivery" : "deliveries")} given up ('helpdesk deliveries list' shows why; requeue them once the receiver is mended)");
        }

        if (s.RulesRefused)
        {
            text += ", the last reload of the rules file was refused, so the rules read before are in force (the service's log says why; mend the file and reload again)";
        }

        if (!s.Ready)
        {
            return (Critical, $"HELPDESK CRITICAL - not ready ({s.ReadyText.Trim()}), {text} | {perf}");
        }

        var code = critical.Alerts(s.SpoolBacklog) ? Critical
            : warning.Alerts(s.SpoolBacklog) || setAside?.Alerts(s.SetAside) == true || givenUp?.Alerts(s.GivenUp) == true || s.RulesRefused ? Warning
            : Ok;
        var state = code switch { Critical => "CRITICAL", Warning => "WARNING", _ => "OK" };

        // /readyz says "ready; DETAIL" when there is something an admin should know (no topology): passed on.
        var detail = s.ReadyText.Trim() is var ready && ready.StartsWith("ready; ", StringComparison.Ordinal) ? ", " + ready["ready; ".Length..] : "";
        return (code, $"HELPDESK {state} - ready, {text}{detail} | {perf}");
    }

    private static async Task<HelpdeskStatus> ReadAsync(Uri baseAddress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        using var ready = await http.GetAsync("/readyz", cancellationToken);
        var readyText = await ready.Content.ReadAsStringAsync(cancellationToken);
        var metrics = await http.GetStringAsync("/metrics", cancellationToken);
        return new HelpdeskStatus(ready.StatusCode == HttpStatusCode.OK, readyText,
            HelpdeskStatus.Sum(metrics, "helpdesk_spool_backlog"),
            HelpdeskStatus.Sum(metrics, "helpdesk_active_incidents"),
            HelpdeskStatus.Sum(metrics, "helpdesk_notifications_dead_lettered_total"))
        {
            SetAside = HelpdeskStatus.Sum(metrics, "helpdesk_spool_rejected_files") + HelpdeskStatus.Sum(metrics, "helpdesk_spool_quarantined_files"),
            GivenUp = HelpdeskStatus.Sum(metrics, "helpdesk_outbound_dead_waiting"),

            // A sample of 0, not a missing one: a service older than the reload has no such series and refused nothing.
            RulesRefused = metrics.Contains("\nhelpdesk_rules_reload_successful 0\n", StringComparison.Ordinal),
        };
    }
}
