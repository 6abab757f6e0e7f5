using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// What a plan hands the store: inserts for new incidents, updates for changed ones, counter changes for repeats only,
/// the problems per second other instances count for storms, and nothing at all when nothing happened. The hot-path
/// benchmarks reuse one plan through <see cref="CommitPlan.Clear"/>, so a cleared plan must decide as a new one does.
/// </summary>
public sealed class CommitPlanTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100);

    [Fact]
    public void A_plan_is_empty_until_something_is_decided_and_again_once_cleared()
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var plan = new CommitPlan();
        Assert.True(plan.IsEmpty);

        Decide(decider, plan, Records.Service(NotificationType.Problem));
        Assert.False(plan.IsEmpty);
        plan.Seal();
        Assert.False(plan.IsEmpty);
        Assert.Equal(1, plan.IncidentsWritten);

        plan.Clear();
        Assert.True(plan.IsEmpty);
        Assert.Equal(0, plan.IncidentsWritten);
    }

    [Fact]
    public void Repeats_alone_are_a_counter_change_that_adds_only_what_this_plan_counted()
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        Sealed(decider, Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem));

        var repeats = Sealed(decider, Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem), Records.Service(NotificationType.Problem));

        var counter = Assert.Single(repeats.Counters);
        Assert.Equal((5, 3), (counter.AlertCount, counter.AlertsAdded));
        Assert.Empty(repeats.Updates);
        Assert.Empty(repeats.Inserts);
        Assert.False(repeats.IsEmpty);
    }

    [Fact]
    public void New_problems_are_counted_per_Nagios_second_for_other_instances_storm_rate()
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);

        var plan = Sealed(decider,
            Records.Service(NotificationType.Problem, host: "a", timeT: Records.T0),
            Records.Service(NotificationType.Problem, host: "b", timeT: Records.T0),
            Records.Service(NotificationType.Problem, host: "c", timeT: Records.T0),
            Records.Service(NotificationType.Problem, host: "d", timeT: Records.T0 + 1));

        Assert.Equal(new Dictionary<long, int> { [Records.T0] = 3, [Records.T0 + 1] = 1 }, plan.NewProblemsBySecond);
    }

    [Fact]
    public void A_cleared_plan_decides_the_next_batch_as_a_new_plan_would()
    {
        Notification[] first = [Records.Service(NotificationType.Problem, host: "a"), Records.Host(NotificationType.Problem, host: "r1", timeT: Records.T0 + 1)];
        Notification[] second =
        [
            Records.Service(NotificationType.Problem, host: "a"),
            Records.Service(NotificationType.Acknowledgement, host: "a", author: "alice", comment: "on it", timeT: Records.T0 + 2),
            Records.Service(NotificationType.Problem, host: "b", timeT: Records.T0 + 3),
        ];
        var (fresh, reused) = (new IncidentDecider(new IncidentPolicy(), [], 0, 0), new IncidentDecider(new IncidentPolicy(), [], 0, 0));
        Sealed(fresh, first);
        var expected = Sealed(fresh, second);

        var plan = new CommitPlan();
        Decide(reused, plan, first);
        plan.Seal();
        plan.Clear();
        Decide(reused, plan, second);
        plan.Seal();

        Assert.Equal(expected.Events, plan.Events);
        Assert.Equal(expected.Inserts, plan.Inserts);
        Assert.Equal(expected.Updates, plan.Updates);
        Assert.Equal(expected.Counters, plan.Counters);
        Assert.Equal(expected.Timeline, plan.Timeline);
        Assert.Equal(expected.Members, plan.Members);
        Assert.Equal(expected.NewProblemsBySecond, plan.NewProblemsBySecond);
    }

    [Fact]
    public void A_plan_cleared_before_it_was_sealed_leaves_no_incident_marked_changed()
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        Sealed(decider, Records.Service(NotificationType.Problem));

        // An acknowledgement decided, then thrown away unsealed (as the benchmarks do between iterations)...
        var plan = new CommitPlan();
        Decide(decider, plan, Records.Service(NotificationType.Acknowledgement, author: "alice", comment: "on it", timeT: Records.T0 + 1));
        plan.Clear();

        // ...leaves the incident unmarked: a repeat afterwards is a counter change, not a full update.
        Decide(decider, plan, Records.Service(NotificationType.Problem, timeT: Records.T0 + 2));
        plan.Seal();
        Assert.Single(plan.Counters);
        Assert.Empty(plan.Updates);
    }

    [Fact]
    public void An_update_says_whether_it_keeps_the_status_and_closed_time_last_written()
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        Sealed(decider, Records.Service(NotificationType.Problem, state: AlertState.Critical, timeT: Records.T0));

        // A new state on an open incident: the store may leave the status columns (and their indexes) alone.
        var worse = Sealed(decider, Records.Service(NotificationType.Problem, state: AlertState.Warning, output: "WARNING - slow", timeT: Records.T0 + 60));
        Assert.True(Assert.Single(worse.Updates).KeepsStatus);

        // Acknowledged, then resolved: the status moved, so both updates write it.
        var acknowledged = Sealed(decider, Records.Service(NotificationType.Acknowledgement, state: AlertState.Warning, timeT: Records.T0 + 120, author: "alice", comment: "on it"));
        Assert.Equal((IncidentStatus.Acknowledged, false), (Assert.Single(acknowledged.Updates).Status, acknowledged.Updates[0].KeepsStatus));
        var resolved = Sealed(decider, Records.Service(NotificationType.Recovery, state: AlertState.Ok, output: "OK", timeT: Records.T0 + 180));
        Assert.Equal((IncidentStatus.Resolved, false), (Assert.Single(resolved.Updates).Status, resolved.Updates[0].KeepsStatus));
    }

    private static CommitPlan Sealed(IncidentDecider decider, params Notification[] notifications)
    {
        var plan = new CommitPlan();
        Decide(decider, plan, notifications);
        plan.Seal();
        return plan;
    }

    private static void Decide(IncidentDecider decider, CommitPlan plan, params Notification[] notifications)
    {
        foreach (var n in notifications)
        {
            var record = Records.Bytes(n);
            var fields = Records.Parse(record);
            decider.Apply(record, in fields, Now, knownApplied: false, plan);
        }
    }
}
