using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>A correlated alert's own life inside its cause's incident: repeats, changes, recovery, failing again.</summary>
public sealed class MemberTests
{
    private static DeciderDriver HostWithService()
    {
        var decider = new DeciderDriver();
        decider.Apply(Records.Host(NotificationType.Problem, host: "db01"));
        Assert.Equal(ApplyOutcome.Correlated, decider.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", output: "refused", timeT: Records.T0 + 10)));
        return decider;
    }

    [Fact]
    public void A_member_joins_with_its_rule_and_repeats_only_count()
    {
        var decider = HostWithService();
        Assert.StartsWith("db01/MySQL CRITICAL joined by rule ", decider.Timeline[^1].Text, StringComparison.Ordinal);
        Assert.EndsWith(": refused", decider.Timeline[^1].Text, StringComparison.Ordinal);

        var entries = decider.Timeline.Count;
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", output: "refused", timeT: Records.T0 + 20)));
        Assert.Equal(entries, decider.Timeline.Count);
        var member = Assert.Single(decider.MembersOf(decider.Single().Id));
        Assert.Equal((2L, DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 20)), (member.AlertCount, member.LastSeenAt));
        Assert.Equal(3, decider.Single().AlertCount);

        // The incident's "last seen" is its cause's: a member's later copy does not move it.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Records.T0), decider.Single().LastSeenAt);
    }

    [Fact]
    public void A_member_changing_state_recovering_and_failing_again_is_told_on_the_timeline()
    {
        var decider = HostWithService();
        Assert.Equal(ApplyOutcome.Updated, decider.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", state: AlertState.Warning, output: "slow", timeT: Records.T0 + 20)));
        Assert.Equal("db01/MySQL now WARNING: slow", decider.Timeline[^1].Text);

        Assert.Equal(ApplyOutcome.Updated, decider.Apply(Records.Service(NotificationType.Recovery, host: "db01", service: "MySQL", state: AlertState.Ok, output: "fine", timeT: Records.T0 + 30)));
        Assert.Equal("db01/MySQL recovered (OK): fine; its cause is still DOWN", decider.Timeline[^1].Text);
        Assert.True(Assert.Single(decider.MembersOf(decider.Single().Id)).Recovered);

        // A copy older than the member's last problem only counts; a new failure is "failing again".
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", state: AlertState.Warning, output: "slow", timeT: Records.T0 + 15)));
        Assert.Equal(ApplyOutcome.Updated, decider.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", output: "refused", timeT: Records.T0 + 40)));
        Assert.Equal("db01/MySQL failing again CRITICAL: refused", decider.Timeline[^1].Text);
        Assert.False(Assert.Single(decider.MembersOf(decider.Single().Id)).Recovered);

        // A second recovery copy, and one older than the last problem, change nothing.
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Recovery, host: "db01", service: "MySQL", state: AlertState.Ok, output: "fine", timeT: Records.T0 + 35)));
        Assert.False(Assert.Single(decider.MembersOf(decider.Single().Id)).Recovered);
    }

    [Fact]
    public void With_the_default_policy_it_resolves_when_cause_and_members_recovered_and_a_members_later_problem_starts_over()
    {
        var decider = HostWithService();
        Assert.Equal(ApplyOutcome.Updated, decider.Apply(Records.Host(NotificationType.Recovery, host: "db01", state: AlertState.Up, output: "PING OK", timeT: Records.T0 + 60)));
        Assert.EndsWith("; waiting for 1 of 1 correlated alerts", decider.Timeline[^1].Text, StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Resolved, decider.Apply(Records.Service(NotificationType.Recovery, host: "db01", service: "MySQL", state: AlertState.Ok, output: "fine", timeT: Records.T0 + 61)));
        Assert.Equal(IncidentStatus.Resolved, decider.Single().Status);

        // The resolution names the last alert to recover and says that it was the last.
        Assert.StartsWith("db01/MySQL recovered (OK): fine; its correlated alert has recovered too", decider.Timeline[^1].Text, StringComparison.Ordinal);

        // A member's copy older than its last problem belongs to the resolved episode; a later one is a new problem.
        Assert.Equal(ApplyOutcome.Repeated, decider.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", output: "refused", timeT: Records.T0 + 5)));
        Assert.Equal(ApplyOutcome.Opened, decider.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL", output: "refused", timeT: Records.T0 + 7200)));
        Assert.Equal(2, decider.Incidents.Count);
    }
}
