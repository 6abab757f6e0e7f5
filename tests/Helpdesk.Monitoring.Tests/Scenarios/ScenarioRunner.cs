using System.Text;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Tests.Scenarios;

/// <summary>
/// Turns a scenario into the wire records Nagios would produce (problem ids per episode with 4.4.6's recovery quirk,
/// one copy per contact) and plays them through the decider in virtual time.
/// </summary>
internal static class ScenarioRunner
{
    public const long Start = Records.T0;

    /// <summary>A notification as sent, or a clock advance (Record null), at a time.</summary>
    public readonly record struct Delivery(DateTimeOffset At, Notification? Record, TimeSpan Advance);

    public static IncidentPolicy PolicyOf(Scenario s)
    {
        var policy = new IncidentPolicy();
        if (s.Rules is not null)
        {
            var (rules, errors) = RulesFile.Parse(s.Rules.ToJsonString());
            Assert.True(rules is not null, $"{s}: rules: {string.Join("; ", errors)}");
            policy = policy.WithRules(rules!);
        }

        return s.Topology.Count == 0 ? policy : policy with { Topology = new LiveTopology(ObjectsCacheReader.Read(new StringReader(string.Join('\n', s.Topology)))) };
    }

    public static List<Delivery> Deliveries(Scenario s)
    {
        var episodes = new Dictionary<(string, string, string), long>();
        long nextProblemId = 1000;
        var deliveries = new List<Delivery>();
        var clock = DateTimeOffset.FromUnixTimeSeconds(Start);
        foreach (var step in s.Steps)
        {
            if (step.Advance is { } advance)
            {
                Assert.True(Duration.TryParse(advance, out var by), $"{s}: advance '{advance}' is not a duration");
                clock += by;
                deliveries.Add(new Delivery(clock, null, by));
                continue;
            }

            var type = NagiosNames.ParseType(step.Type ?? throw new InvalidDataException($"{s}: a step needs type or advance"));
            Assert.NotEqual(NotificationType.None, type);
            var identity = (step.Instance, step.Host, step.Service);
            var isService = step.Service.Length > 0;
            var state = isService ? NagiosNames.ParseServiceState(step.State) : NagiosNames.ParseHostState(step.State);
            string current = "0", last = "0";
            if (type == NotificationType.Problem && !episodes.ContainsKey(identity))
            {
                episodes[identity] = ++nextProblemId;
            }

            if (episodes.TryGetValue(identity, out var id))
            {
                current = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (type == NotificationType.Recovery)
                {
                    // 4.4.6: a service recovery keeps its id, a host recovery moves it to the LAST macro.
                    (current, last) = isService ? (current, "0") : ("0", current);
                    episodes.Remove(identity);
                }
            }

            var at = DateTimeOffset.FromUnixTimeSeconds(Start + step.At);
            clock = at > clock ? at : clock;
            for (var copy = 0; copy < Math.Max(1, step.Contacts); copy++)
            {
                deliveries.Add(new Delivery(at, new Notification
                {
                    EventId = Guid.CreateVersion7(),
                    Instance = step.Instance,
                    Type = type,
                    TimeT = Start + step.At,
                    Host = step.Host,
                    HostState = isService ? AlertState.Up : state,
                    HostStateType = "HARD",
                    HostOutput = isService ? "" : step.Output,
                    Service = step.Service,
                    ServiceState = isService ? state : AlertState.None,
                    ServiceStateType = isService ? "HARD" : "",
                    ServiceOutput = isService ? step.Output : "",
                    ServiceProblemId = isService ? current : "",
                    LastServiceProblemId = isService ? last : "",
                    HostProblemId = isService ? "" : current,
                    LastHostProblemId = isService ? "" : last,
                    NotificationNumber = 1,
                    Author = step.Author,
                    Comment = step.Comment,
                    HostGroups = step.HostGroups,
                    Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = step.Customer },
                }, TimeSpan.Zero));
            }
        }

        return deliveries;
    }

    /// <summary>Plays deliveries: timers run up to each notification's time (never backwards), as the service's tick does.</summary>
    public static IncidentProjection Play(IncidentPolicy policy, IEnumerable<Delivery> deliveries, bool redeliverAll = false)
    {
        var projection = new IncidentProjection();
        var decider = new IncidentDecider(policy, [], 0, 0);
        var now = DateTimeOffset.FromUnixTimeSeconds(Start);
        var list = deliveries.ToList();
        foreach (var pass in redeliverAll ? new[] { false, true } : [false])
        {
            foreach (var d in list)
            {
                var plan = new CommitPlan();
                if (d.Record is null)
                {
                    // The redelivery pass replays notifications only: time does not run twice.
                    now += pass ? TimeSpan.Zero : d.Advance;
                    decider.ApplyTimers(now, plan);
                }
                else
                {
                    now = d.At > now ? d.At : now;
                    decider.ApplyTimers(now, plan);
                    var bytes = NotificationWriter.ToUtf8(d.Record);
                    var fields = Records.Parse(bytes);
                    var outcome = decider.Apply(bytes, in fields, now, knownApplied: false, plan);
                    Assert.True(!pass || outcome == ApplyOutcome.Redelivered, "a redelivery changed something");
                }

                plan.Seal();
                projection.Apply(plan);
            }
        }

        return projection;
    }

    /// <summary>The incidents in a form that does not depend on ids or on which copy came first.</summary>
    public static string Canonical(IncidentProjection p)
    {
        var lines = new List<string>();
        foreach (var i in p.Incidents.Values.Where(i => i.MergedInto is null))
        {
            // Members with the rule and key that explained them: these must not depend on arrival order either.
            var alerts = p.MembersOf(i.Id).Select(m => $"{m.Name}{(m.Recovered ? "+" : "")} ({m.Rule} {m.Key})")
                .Concat(i.Host.Length > 0 ? [i.Service.Length == 0 ? i.Host : $"{i.Host}/{i.Service}"] : [])
                .Order(StringComparer.Ordinal);
            lines.Add($"{i.Status} {i.Priority} {i.CorrelationRule} flapping={i.Flapping} maintenance={i.InMaintenance} [{string.Join(", ", alerts)}]");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    public static string Describe(IncidentProjection p)
    {
        var text = new StringBuilder();
        foreach (var i in p.Incidents.Values)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"\n  {i.Number} {i.Host}/{i.Service} {i.Status} {i.Priority} {i.Tier} alerts={i.AlertCount} rule={i.CorrelationRule} merged={i.MergedInto} members=[{string.Join(", ", p.MembersOf(i.Id).Select(m => m.Name + (m.Recovered ? "+" : "")))}]");
            foreach (var e in p.Timeline.Where(e => e.IncidentId == i.Id))
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n      {e.At:HH:mm:ss} {TimelineKindNames.Of(e.Kind)}: {e.Text}");
            }
        }

        return text.ToString();
    }
}
