using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>Nagios runs notifications in parallel workers: arrival order is not event order.</summary>
public sealed class OutOfOrderTests
{
    private static Notification Problem(long t, string problemId = "", AlertState state = AlertState.Critical, string output = "CRITICAL - down") =>
        Records.Service(NotificationType.Problem, timeT: t, state: state, output: output) with { ServiceProblemId = problemId };

    private static Notification Recovery(long t, string problemId = "") =>
        Records.Service(NotificationType.Recovery, timeT: t, state: AlertState.Ok, output: "OK") with
        {
            // 4.4.6 keeps the episode's id in SERVICEPROBLEMID on a service recovery, LASTSERVICEPROBLEMID = 0.
            ServiceProblemId = problemId,
            LastServiceProblemId = problemId.Length > 0 ? "0" : "",
        };

    [Theory]
    [InlineData("", "")]
    [InlineData("77", "77")]
    public void A_recovery_that_overtakes_its_problem_resolves_the_incident_the_problem_opens(string problemIdOfProblem, string problemIdOfRecovery)
    {
        var d = new DeciderDriver();
        Assert.Equal(ApplyOutcome.Ignored, d.Apply(Recovery(Records.T0 + 60, problemIdOfRecovery)));
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Problem(Records.T0, problemIdOfProblem)));

        var incident = d.Single();
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 60), incident.ResolvedAt);
        Assert.Equal(AlertState.Ok, incident.State);
        Assert.Equal(AlertState.Critical, incident.WorstState);
        Assert.Equal([TimelineKind.Opened, TimelineKind.Resolved], d.Timeline.Select(e => e.Kind));
        Assert.Equal(0, d.Decider.ActiveCount);
    }

    [Fact]
    public void An_early_recovery_of_another_episode_leaves_a_new_problem_open()
    {
        var d = new DeciderDriver();
        d.Apply(Recovery(Records.T0 + 60, "76"));
        d.Apply(Problem(Records.T0 + 120, "77"));
        Assert.Equal(IncidentStatus.Open, d.Single().Status);

        var e = new DeciderDriver();
        e.Apply(Recovery(Records.T0 + 60));
        e.Apply(Problem(Records.T0 + 120));
        Assert.Equal(IncidentStatus.Open, e.Single().Status);
    }

    [Theory]
    [InlineData("77", Records.T0 + 300)]
    [InlineData("", Records.T0 + 30)]
    public void A_late_copy_of_a_resolved_problem_counts_and_does_not_reopen(string problemId, long copyTime)
    {
        var d = new DeciderDriver();
        d.Apply(Problem(Records.T0, problemId));
        d.Apply(Recovery(Records.T0 + 60, problemId));
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Problem(copyTime, problemId)));
        var incident = d.Single();
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Equal(0, incident.ReopenCount);
        Assert.Equal(2, incident.AlertCount);
    }

    [Fact]
    public void A_new_episode_after_the_recovery_still_reopens()
    {
        var d = new DeciderDriver();
        d.Apply(Problem(Records.T0, "77"));
        d.Apply(Recovery(Records.T0 + 60, "77"));
        Assert.Equal(ApplyOutcome.Reopened, d.Apply(Problem(Records.T0 + 120, "78")));
    }

    [Fact]
    public void An_older_state_arriving_late_does_not_overwrite_a_newer_one()
    {
        var d = new DeciderDriver();
        d.Apply(Problem(Records.T0 + 20, state: AlertState.Warning, output: "WARNING - slow"));
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Problem(Records.T0 + 10, state: AlertState.Critical, output: "CRITICAL - down")));
        var incident = d.Single();
        Assert.Equal(AlertState.Warning, incident.State);
        Assert.Equal("WARNING - slow", incident.LastOutput);
        Assert.Equal(2, incident.AlertCount);
    }

    [Fact]
    public void A_recovery_older_than_the_latest_problem_does_not_resolve()
    {
        var d = new DeciderDriver();
        d.Apply(Problem(Records.T0 + 10));
        d.Apply(Problem(Records.T0 + 30));
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Recovery(Records.T0 + 20)));
        Assert.Equal(IncidentStatus.Open, d.Single().Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_arrival_order_of_one_episode_gives_the_same_incident(bool restartAfterEveryArrival)
    {
        // Three contacts' copies of the PROBLEM and one RECOVERY, in all 24 orders (with and without problem ids); with
        // a restart after every arrival, what the decider remembers between them (an early recovery above all) must
        // come back from what was committed.
        foreach (var problemId in new[] { "", "91" })
        {
            var episode = new[] { Problem(Records.T0, problemId), Problem(Records.T0, problemId), Problem(Records.T0, problemId), Recovery(Records.T0 + 60, problemId) };
            foreach (var order in Permutations([0, 1, 2, 3]))
            {
                var d = new DeciderDriver();
                foreach (var i in order)
                {
                    d.Apply(episode[i]);
                    if (restartAfterEveryArrival)
                    {
                        d.Restart();
                    }
                }

                var incident = d.Single();
                var context = $"order {string.Join(",", order)}, problem id '{problemId}'";
                Assert.True(incident.Status == IncidentStatus.Resolved, context);
                Assert.True(incident.AlertCount == 3, context + $": alertCount {incident.AlertCount}");
                Assert.True(incident.ReopenCount == 0, context);
                Assert.True(d.Committed.EarlyRecoveries.Count == 0, context + ": the early recovery was not let go once used");
            }
        }
    }

    [Fact]
    public void An_early_recovery_is_written_with_its_batch_and_let_go_when_its_problem_comes()
    {
        var d = new DeciderDriver();
        var recovery = Recovery(Records.T0 + 60, "77");
        d.Apply(recovery);
        Assert.Equal(new EarlyRecovery("nagios-a", "web01", "HTTP", Records.T0 + 60, "77", "OK", AlertState.Ok, recovery.EventId),
            Assert.Single(d.Committed.EarlyRecoveries));

        // A problem of another episode does not take it.
        d.Apply(Problem(Records.T0 + 120, "78"));
        Assert.Single(d.Committed.EarlyRecoveries);
    }

    [Fact]
    public void At_the_bound_the_oldest_tenth_of_the_early_recoveries_are_let_go_and_the_newest_still_resolve()
    {
        var d = new DeciderDriver();
        d.ApplyTurn([.. Enumerable.Range(0, 10_000).Select(i => Records.Service(NotificationType.Recovery, host: $"h{i}", timeT: Records.T0 + i, state: AlertState.Ok, output: "OK"))]);
        Assert.Equal(10_000, d.Decider.EarlyRecoveryCount);

        d.Apply(Records.Service(NotificationType.Recovery, host: "one-more", timeT: Records.T0 + 20_000, state: AlertState.Ok, output: "OK"));
        Assert.Equal(9_001, d.Decider.EarlyRecoveryCount);
        Assert.Equal(9_001, d.Committed.EarlyRecoveries.Count);
        Assert.DoesNotContain(d.Committed.EarlyRecoveries, r => r.TimeT < Records.T0 + 1_000);

        // The problem of a recovery kept is resolved at once; one whose recovery was let go opens as usual.
        d.Apply(Records.Service(NotificationType.Problem, host: "h1000", timeT: Records.T0 - 60));
        d.Apply(Records.Service(NotificationType.Problem, host: "h999", timeT: Records.T0 - 60));
        Assert.Equal(IncidentStatus.Resolved, d.Incidents.Values.Single(i => i.Host == "h1000").Status);
        Assert.Equal(IncidentStatus.Open, d.Incidents.Values.Single(i => i.Host == "h999").Status);
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
