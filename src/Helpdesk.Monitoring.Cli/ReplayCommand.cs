using System.CommandLine;
using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk replay FILE [--rules RULES]</c>: a dry run of recorded notifications through the same decisions the
/// service makes, in their own time (each notification's TIMET), printing the incidents they would produce and why.
/// Touches no store: admins test rule changes on real traffic before deploying them.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("NOTIFICATIONS") { Description = "Wire records: one JSON object per line, or a JSON array" };
        var rules = new Option<FileInfo?>("--rules") { Description = "Rules file to apply (default: built-in rules)" };
        var hold = new Option<TimeSpan?>("--verification-hold") { Description = "Verification hold (default 00:30:00)" };
        var objects = new Option<FileInfo?>("--objects-cache") { Description = "Nagios objects.cache for parents and dependencies (default: none)" };
        var channels = new Option<string[]>("--channel")
        {
            Description = "An outbound channel the service has (repeatable); each event says which it would be sent to (default: the channels the rules file names)",
        };
        var command = new Command("replay", "Dry run: which incidents would these notifications produce, why, and what would be sent?") { file, rules, hold, objects, channels };
        command.SetAction(parse =>
        {
            var policy = new IncidentPolicy { VerificationHold = parse.GetValue(hold) ?? new IncidentPolicy().VerificationHold };
            if (parse.GetValue(rules) is { } rulesFile)
            {
                var (loaded, errors) = LocalFiles.ReadRules(rulesFile.FullName);
                if (loaded is null)
                {
                    foreach (var error in errors)
                    {
                        Console.Error.WriteLine($"{rulesFile.FullName}: {error}");
                    }

                    return 1;
                }

                policy = policy.WithRules(loaded);
            }

            if (parse.GetValue(objects) is { } cache)
            {
                try
                {
                    policy = policy with { Topology = new LiveTopology(LocalFiles.ReadTopology(cache.FullName)) };
                }
                catch (IOException ex)
                {
                    Console.Error.WriteLine($"helpdesk replay: cannot read {cache.FullName}: {ex.Message}");
                    return 1;
                }
            }

            var path = parse.GetValue(file)!.FullName;
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"helpdesk replay: {path} does not exist");
                return 1;
            }

            try
            {
                var replay = Replay(File.ReadAllBytes(path), policy, parse.GetValue(channels) is { Length: > 0 } named ? named : null);
                Console.Write(replay.Output);
                if (replay.Notifications == 0)
                {
                    // Nothing was replayed: a script that checks the exit code must not take this for a clean run.
                    Console.Error.WriteLine(replay.Refused == 0
                        ? $"helpdesk replay: {path} holds no records"
                        : $"helpdesk replay: every record in {path} was refused ({replay.Refused}); nothing was replayed");
                    return 1;
                }

                return 0;
            }
            catch (System.Text.Json.JsonException ex)
            {
                Console.Error.WriteLine($"helpdesk replay: {path} is neither JSON lines nor a JSON array: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>What a replay printed, and how many records it replayed and refused.</summary>
    public sealed record Result(string Output, int Notifications, int Refused);

    /// <param name="channels">The outbound channels to route events to; null: the channels the rules file names.</param>
    public static Result Replay(byte[] input, IncidentPolicy policy, IReadOnlyList<string>? channels = null)
    {
        var outbound = policy.Rules.Outbound;
        channels ??= [.. outbound.Routes.SelectMany(r => r.Channels).Concat(outbound.Default).Where(c => c != OutboundRules.EveryChannel).Distinct().Order(StringComparer.Ordinal)];
        var sent = new Dictionary<(long Incident, int Seq), string>();
        var records = Split(input);
        var decider = new IncidentDecider(policy, [], 0, long.MaxValue);
        var projection = new IncidentProjection();
        var output = new StringBuilder();
        var refused = 0;
        DateTimeOffset? clock = null;
        var parsed = new List<(ReadOnlyMemory<byte> Record, NotificationFields Fields, int Line)>();
        for (var i = 0; i < records.Count; i++)
        {
            if (NotificationParser.TryParse(records[i].Span, out var fields, out var failure))
            {
                parsed.Add((records[i], fields, i + 1));
            }
            else
            {
                refused++;
                output.AppendLine(CultureInfo.InvariantCulture, $"record {i + 1}: refused, {failure}");
            }
        }

        // In Nagios' time, as the service orders its spool: oldest TIMET first, file order within a second.
        foreach (var (record, fields, _) in parsed.OrderBy(p => p.Fields.TimeT).ThenBy(p => p.Line))
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(fields.TimeT);
            clock = clock is { } c && c > at ? c : at;
            var plan = new CommitPlan();
            decider.ApplyTimers(clock.Value, plan);
            decider.Apply(record.Span, in fields, clock.Value, knownApplied: false, plan);
            plan.Seal();
            // Route calls back once per incident event, in the plan's order: the i-th call is the i-th event.
            var events = plan.IncidentEvents;
            var i = 0;
            plan.Route(e =>
            {
                var to = outbound.ChannelsFor(e, channels).ToList();
                var incidentEvent = events[i++];
                sent[(incidentEvent.IncidentId, incidentEvent.Seq)] = to.Count == 0 ? "" : string.Join(", ", to);
                return to;
            }, clock.Value, TimeSpan.Zero);
            projection.Apply(plan);
        }

        output.AppendLine(CultureInfo.InvariantCulture, $"{IncidentText.Counted(parsed.Count, "notification")}, {refused} refused, {IncidentText.Counted(projection.Incidents.Count, "incident")}");
        foreach (var incident in projection.Incidents.Values)
        {
            output.AppendLine(CultureInfo.InvariantCulture,
                $"{incident.Number} {IncidentNames.Of(incident.Priority)} {IncidentNames.Of(incident.Status)} \"{incident.Title}\" customer={incident.Customer} category={incident.Category} team={incident.Team}/{incident.Tier} alerts={incident.AlertCount}{(incident.Flapping ? " flapping" : "")}{(incident.InMaintenance ? " in-maintenance" : "")}{(incident.CorrelationRule.Length > 0 ? $" rule={incident.CorrelationRule} key={incident.CorrelationKey}" : "")}{(incident.MergedInto is { } into ? " merged-into=" + IncidentNumber.Format(into) : "")}");
            // What a rules change does to the clocks: the calendar, the deadlines, and whether they were missed.
            if (incident.Sla is { StartedAt: not null } sla)
            {
                output.AppendLine(CultureInfo.InvariantCulture,
                    $"    sla {sla.Calendar}: response by {sla.ResponseDueAt:yyyy-MM-dd HH:mm:ss}{(sla.ResponseBreached ? " (breached)" : "")}, resolution by "
                    + $"{sla.ResolutionDueAt:yyyy-MM-dd HH:mm:ss}{(sla.ResolutionBreached ? " (breached)" : "")}{(sla.PausedAt is not null ? ", paused" : "")}");
            }

            foreach (var member in projection.MembersOf(incident.Id))
            {
                output.AppendLine(CultureInfo.InvariantCulture,
                    $"    member {member.Name} {NagiosNames.Of(member.State)}{(member.Recovered ? " recovered" : "")} rule={member.Rule} key={member.Key} alerts={member.AlertCount}");
            }

            foreach (var entry in projection.Timeline.Where(e => e.IncidentId == incident.Id))
            {
                var to = sent.GetValueOrDefault((entry.IncidentId, entry.Seq), "");
                output.AppendLine(CultureInfo.InvariantCulture, $"    {entry.At:yyyy-MM-dd HH:mm:ss} {TimelineKindNames.Of(entry.Kind)}: {entry.Text}{(to.Length > 0 ? $"  -> {to}" : "")}");
            }
        }

        // Replayed records are often dead letters, refused for a reason: a plugin's output is kept as it came, and an
        // escape sequence in it must not reach the terminal this is printed on.
        return new Result(PlainText.Clean(output.ToString()), parsed.Count, refused);
    }

    /// <summary>One record per non-empty line, or the elements of a top-level JSON array.</summary>
    private static List<ReadOnlyMemory<byte>> Split(byte[] input)
    {
        var text = input.AsSpan().TrimStart(" \t\r\n"u8);
        var records = new List<ReadOnlyMemory<byte>>();
        if (text.Length > 0 && text[0] == (byte)'[')
        {
            var reader = new System.Text.Json.Utf8JsonReader(input);
            reader.Read();
            while (reader.Read() && reader.TokenType != System.Text.Json.JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                records.Add(input.AsMemory(start, (int)reader.BytesConsumed - start));
            }

            return records;
        }

        var from = 0;
        for (var i = 0; i <= input.Length; i++)
        {
            if (i == input.Length || input[i] == (byte)'\n')
            {
                var line = input.AsMemory(from, i - from);
                if (!line.Span.Trim(" \t\r"u8).IsEmpty)
                {
                    records.Add(line);
                }

                from = i + 1;
            }
        }

        return records;
    }
}
