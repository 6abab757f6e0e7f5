using System.Buffers;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk notify</c>: the Nagios notification command. Reads the notification from NAGIOS_* environment
/// macros (options override them, for testing), validates it with the service's own parser, and writes one record
/// durably into the spool. No network, no shell, milliseconds. Refused input is kept in the spool's rejected area.
/// </summary>
internal static class NotifyCommand
{
    public const int Spooled = 0;
    public const int Rejected = 1;
    public const int SpoolFailed = 2;

    // Each wire field's option, the macro it overrides and its help come from the wire record's table.
    private static readonly (string Option, string Macro, string Help)[] Fields = [.. WireFields.Options];

    public static Command Create()
    {
        var instance = new Option<string>("--instance") { Description = "Name of the Nagios instance sending (or HELPDESK_INSTANCE)" };
        var spool = new Option<string>("--spool") { Description = "Spool directory (or HELPDESK_SPOOL; default /var/spool/helpdesk)" };
        var eventId = new Option<Guid?>("--event-id") { Description = "Event id to use (default: a new UUIDv7); for redelivery tests" };
        var vars = new Option<string[]>("--var") { Description = "Custom variable as _HOSTCUSTOMER=acme (repeatable)", AllowMultipleArgumentsPerToken = false };
        var fields = Fields.Select(f => (f.Macro, Option: new Option<string>(f.Option) { Description = f.Help })).ToArray();

        var command = new Command("notify", "Nagios notification command: spool one notification for the helpdesk service");
        command.Options.Add(instance);
        command.Options.Add(spool);
        command.Options.Add(eventId);
        command.Options.Add(vars);
        foreach (var (_, option) in fields)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var input = NotificationInput.FromEnvironment(Environment.GetEnvironmentVariables());
            foreach (var (macro, option) in fields)
            {
                input.Set(macro, parse.GetValue(option));
            }

            foreach (var assignment in parse.GetValue(vars) ?? [])
            {
                var eq = assignment.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    input.Set(assignment[..eq], assignment[(eq + 1)..]);
                }
            }

            var instanceName = parse.GetValue(instance) ?? Environment.GetEnvironmentVariable("HELPDESK_INSTANCE") ?? "";
            var spoolRoot = parse.GetValue(spool) ?? Environment.GetEnvironmentVariable("HELPDESK_SPOOL") ?? "/var/spool/helpdesk";
            return Run(input, instanceName, spoolRoot, parse.GetValue(eventId) ?? Guid.CreateVersion7(), Environment.GetCommandLineArgs().Skip(1).ToArray());
        });
        return command;
    }

    public static int Run(NotificationInput input, string instance, string spoolRoot, Guid eventId, string[] args)
    {
        SpoolPaths paths;
        try
        {
            paths = new SpoolPaths(spoolRoot).EnsureExists();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"helpdesk notify: cannot use spool '{spoolRoot}': {ex.Message}");
            return SpoolFailed;
        }

        var now = TimeProvider.System.GetUtcNow();
        var (notification, error) = instance.Length == 0
            ? (null, "the Nagios instance name is missing: pass --instance NAME in the command definition")
            : NotificationAssembler.Assemble(input, instance, eventId, now.ToUnixTimeSeconds());
        byte[]? record = null;
        if (notification is not null)
        {
            // Long plugin output is cut to fit (and says so): a problem never vanishes because of its output's length.
            record = OutputTrimmer.ToRecord(notification, RecordLimits.MaxRecordBytes);

            // The service's own parser decides: what it would refuse is refused here, while Nagios still knows.
            if (!NotificationParser.TryParse(record, out _, out var failure))
            {
                error = failure.Message;
            }
        }

        try
        {
            if (error is not null)
            {
                var kept = KeepRejected(paths, input, args, error, now);
                Console.Error.WriteLine(kept is null
                    ? $"helpdesk notify: {error}; the input was not kept because {paths.Rejected} is at its size limit"
                    : $"helpdesk notify: {error}; the input is kept in {kept}");
                return Rejected;
            }

            new SpoolWriter(paths).Enqueue(record, notification!.TimeT, notification.EventId);
            return Spooled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nagios logs this line and does not run the command again: say what to mend, and that it is lost.
            // On Linux the runtime's IOException carries the errno: ENOSPC 28, EDQUOT 122.
            const string Lost = "this notification is lost unless Nagios sends it again";
            var why = ex.HResult switch
            {
                28 => $"the disk is full ({ex.Message}); {Lost}",
                122 => $"the disk quota of this user is used up ({ex.Message}); {Lost}",
                _ => ex.Message,
            };
            Console.Error.WriteLine($"helpdesk notify: cannot write to spool '{spoolRoot}': {why}");
            return SpoolFailed;
        }
    }

    private static string? KeepRejected(SpoolPaths paths, NotificationInput input, string[] args, string error, DateTimeOffset now)
    {
        // Only NAGIOS_* macros and the arguments are kept: the rest of the environment may hold secrets.
        var raw = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(raw, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("args");
            foreach (var arg in args)
            {
                json.WriteStringValue(arg);
            }

            json.WriteEndArray();
            json.WriteStartObject("macros");
            foreach (var (macro, value) in input.Macros)
            {
                json.WriteString(macro, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return new DeadLetterDirectory(paths.Rejected).Write(new DeadLetter("notify", RejectReason.InvalidField, error, raw.WrittenMemory, now));
    }
}
