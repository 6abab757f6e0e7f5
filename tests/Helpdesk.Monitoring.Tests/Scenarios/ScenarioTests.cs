using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Scenarios;

/// <summary>The scenario suite (Scenarios/files): each file's notifications give exactly the incidents it expects.</summary>
public sealed class ScenarioTests
{
    public static TheoryData<string> Files() => [.. Scenario.Files().Select(f => Path.GetFileName(f))];

    [Fact]
    public void The_suite_covers_every_notification_type_and_correlation()
    {
        var scenarios = Scenario.Files().Select(Scenario.Load).ToList();
        var types = scenarios.SelectMany(s => s.Steps).Where(s => s.Type is not null).Select(s => NagiosNames.ParseType(s.Type!)).ToHashSet();
        var missing = Enum.GetValues<NotificationType>().Where(t => t != NotificationType.None && !types.Contains(t)).ToList();

        // FLAPPINGDISABLED and DOWNTIMECANCELLED share their siblings' path; they have unit tests of their own.
        missing.RemoveAll(t => t is NotificationType.FlappingDisabled or NotificationType.DowntimeCancelled);
        Assert.Empty(missing);
        var rules = scenarios.SelectMany(s => s.Expect).Select(e => e.Rule).Concat(scenarios.SelectMany(s => s.Expect).SelectMany(e => e.Timeline)).ToList();
        Assert.Contains(rules, r => r?.StartsWith("group:", StringComparison.Ordinal) == true);
        Assert.Contains("storm", rules);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Scenario_gives_the_expected_incidents(string file)
    {
        var scenario = Scenario.Load(Path.Combine(Scenario.Directory, file));
        var result = ScenarioRunner.Play(ScenarioRunner.PolicyOf(scenario), ScenarioRunner.Deliveries(scenario));
        var incidents = result.Incidents.Values.ToList();
        var context = $"{scenario.Name}; incidents:{ScenarioRunner.Describe(result)}";
        Assert.True(scenario.Expect.Count == incidents.Count, $"expected {scenario.Expect.Count} incidents, got {incidents.Count}: {context}");
        for (var i = 0; i < incidents.Count; i++)
        {
            Check(scenario.Expect[i], incidents[i], result, $"incident {i + 1} ({incidents[i].Number}) of {context}");
        }
    }

    private static void Check(ExpectedIncident e, IncidentRecord actual, IncidentProjection p, string context)
    {
        void That(bool ok, string what) => Assert.True(ok, $"{what} — {context}");
        That(actual.Host == e.Host && Glob.Matches(e.Service, actual.Service), $"identity {actual.Host}/{actual.Service}, expected {e.Host}/{e.Service}");
        That(actual.Status.ToString().Equals(e.Status, StringComparison.OrdinalIgnoreCase), $"status {actual.Status}, expected {e.Status}");
        That(e.Priority is null || actual.Priority.ToString() == e.Priority, $"priority {actual.Priority}, expected {e.Priority}");
        That(e.Tier is null || actual.Tier == e.Tier, $"tier {actual.Tier}, expected {e.Tier}");
        That(e.Alerts is null || actual.AlertCount == e.Alerts, $"alerts {actual.AlertCount}, expected {e.Alerts}");
        That(e.Rule is null || actual.CorrelationRule == e.Rule, $"rule '{actual.CorrelationRule}', expected '{e.Rule}'");
        That(e.Flapping is null || actual.Flapping == e.Flapping, $"flapping {actual.Flapping}");
        That(e.InMaintenance is null || actual.InMaintenance == e.InMaintenance, $"in maintenance {actual.InMaintenance}");
        var mergedInto = actual.MergedInto is { } into ? p.Incidents[into].Host : null;
        That(mergedInto == e.MergedInto, $"merged into '{mergedInto}', expected '{e.MergedInto}'");
        if (e.Members is not null)
        {
            var members = p.MembersOf(actual.Id).Select(m => m.Name + (m.Recovered ? "+" : "")).Order(StringComparer.Ordinal);
            That(members.SequenceEqual(e.Members.Order(StringComparer.Ordinal)), $"members [{string.Join(", ", members)}], expected [{string.Join(", ", e.Members)}]");
        }

        var timeline = p.Timeline.Where(t => t.IncidentId == actual.Id).Select(t => t.Text).ToList();
        foreach (var text in e.Timeline)
        {
            That(timeline.Any(t => t.Contains(text, StringComparison.Ordinal)), $"timeline lacks '{text}'");
        }
    }
}
