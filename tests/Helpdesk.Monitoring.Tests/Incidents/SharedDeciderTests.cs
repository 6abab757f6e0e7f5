using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// Two instances, each with its own decider, sharing state the way the Redis adapter carries it: after a commit a decider
/// exports what it changed, before deciding the other absorbs it. Kafka partitions by host, so a router and the
/// services that depend on it are usually decided on different instances.
/// </summary>
public sealed class SharedDeciderTests
{
    private static readonly string Network = ObjectsCacheText.Hosts(("core01", null), ("web01", "core01"));

    private static (DeciderDriver A, DeciderDriver B) Pair(CorrelationPolicy? correlation = null)
    {
        var instances = Instances(2, correlation);
        return (instances[0], instances[1]);
    }

    private static DeciderDriver[] Instances(int count, CorrelationPolicy? correlation = null)
    {
        IncidentPolicy Policy(int slot) => new()
        {
            Rules = new HelpdeskRules { Correlation = correlation ?? new CorrelationPolicy() },
            Topology = new LiveTopology(ObjectsCacheReader.Read(new StringReader(Network))),
            IdSlot = slot,
            IdSlots = count,
        };

        var store = new IncidentProjection();
        return [.. Enumerable.Range(0, count).Select(slot => new DeciderDriver(Policy(slot), store: store))];
    }

    [Fact]
    public void What_routes_an_incident_and_who_works_it_travel_with_its_copy()
    {
        var (a, b) = Pair();
        a.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", customer: "acme"));
        var id = a.Single().Id;
        a.Apply(new AgentAction(Guid.CreateVersion7(), id, AgentActionKind.Assign, "alice", "") { Assignee = "alice" });
        b.AbsorbFrom(a);

        // Decided on b: the events carry a's customer and team (routing), and the assignee stays.
        var plan = new CommitPlan();
        b.Decider.Apply(new AgentAction(Guid.CreateVersion7(), id, AgentActionKind.Comment, "bob", "on it"), b.Now, false, plan);
        plan.Seal();
        var routed = new List<OutboundEvent>();
        plan.Route(e => { routed.Add(e); return []; }, b.Now, TimeSpan.Zero);
        Assert.Equal([("acme", "helpdesk")], routed.Select(e => (e.Customer, e.Team)));
        Assert.Equal("alice", Assert.Single(plan.Updates).AssignedTo);
    }

    [Fact]
    public void A_service_decided_on_another_instance_joins_the_host_incident_it_absorbed()
    {
        var (a, b) = Pair();
        Assert.Equal(ApplyOutcome.Opened, a.Apply(Records.Host(NotificationType.Problem, host: "web01")));
        var host = a.Single();

        b.AbsorbFrom(a);
        Assert.False(b.Decider.StormActive);
        Assert.Equal(ApplyOutcome.Correlated, b.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5)));
        Assert.Contains(b.MembersOf(host.Id), m => m.Service == "HTTP" && m.Rule == CorrelationRuleNames.HostDown);

        // Back on the host's instance, the member is known: its repeat counts on the host incident.
        a.AbsorbFrom(b);
        Assert.Equal(ApplyOutcome.Repeated, a.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5)));
        Assert.Equal(3, a.Committed.Incidents[host.Id].AlertCount);
    }

    [Fact]
    public void A_host_going_down_merges_the_service_incident_another_instance_opened()
    {
        var (a, b) = Pair();
        Assert.Equal(ApplyOutcome.Opened, b.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP")));
        var service = b.Single();

        a.AbsorbFrom(b);
        Assert.Equal(ApplyOutcome.Opened, a.Apply(Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 30)));
        var merged = a.Committed.Incidents[service.Id];
        Assert.Equal(IncidentStatus.Closed, merged.Status);
        var host = a.Committed.Incidents.Values.Single(i => i.Id != service.Id);
        Assert.Equal(host.Id, merged.MergedInto);

        // The service's instance learns of the merge: its next problem goes to the host incident, not the closed one.
        b.AbsorbFrom(a);
        Assert.Equal(ApplyOutcome.Repeated, b.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 40)));
        Assert.Equal(host.AlertCount + 1, b.Committed.Incidents[host.Id].AlertCount);
        Assert.DoesNotContain(b.Committed.Incidents.Values, i => i.Id == service.Id && i.Status != IncidentStatus.Closed);
    }

    [Fact]
    public void A_child_decided_before_its_parent_was_absorbed_is_merged_into_the_parent_at_the_next_turn()
    {
        // The parent's copy is on its way (b decides with the shared state's last answer for a moment): the UNREACHABLE
        // child opens an incident of its own on b.
        var (a, b) = Pair();
        Assert.Equal(ApplyOutcome.Opened, a.Apply(Records.Host(NotificationType.Problem, host: "core01")));
        var parent = a.Single();
        Assert.Equal(ApplyOutcome.Opened, b.Apply(Records.Host(NotificationType.Problem, host: "web01", state: AlertState.Unreachable, timeT: Records.T0 + 5)));
        var child = b.Committed.Incidents.Values.Single(i => i.Host == "web01");

        b.AbsorbFrom(a);
        Assert.Equal(1, b.Decider.LearnedCauses);

        // A later copy of the parent (someone commented) is not learned again: it was failing here already.
        a.Apply(new AgentAction(Guid.CreateVersion7(), parent.Id, AgentActionKind.Comment, "alice", "looking"));
        Assert.Equal(1, b.AbsorbFrom(a));
        Assert.Equal(1, b.Decider.LearnedCauses);
        b.Advance(TimeSpan.Zero);
        Assert.Equal(0, b.Decider.LearnedCauses);
        Assert.Equal(parent.Id, b.Committed.Incidents[child.Id].MergedInto);
        Assert.Contains(b.MembersOf(parent.Id), m => m.Host == "web01" && m.Rule == CorrelationRuleNames.ParentDown);
        Assert.Equal(1, b.Decider.ActiveCount);

        // The parent's instance learns of the merge: the child's next notification counts on the parent's incident.
        a.AbsorbFrom(b);
        Assert.Equal(ApplyOutcome.Repeated, a.Apply(Records.Host(NotificationType.Problem, host: "web01", state: AlertState.Unreachable, timeT: Records.T0 + 65)));
        Assert.Equal(3, a.Committed.Incidents[parent.Id].AlertCount);
    }

    [Fact]
    public void Of_the_instances_that_absorb_the_parent_the_one_that_opened_the_child_merges_it()
    {
        // c knows the child (it absorbed b's copy) and then the parent: the child is b's to merge, so c leaves it; were
        // both to merge it, the store would refuse one and that instance would rebuild.
        var instances = Instances(3);
        var (a, b, c) = (instances[0], instances[1], instances[2]);
        a.Apply(Records.Host(NotificationType.Problem, host: "core01"));
        var parent = a.Single();
        b.Apply(Records.Host(NotificationType.Problem, host: "web01", state: AlertState.Unreachable, timeT: Records.T0 + 5));
        var child = b.Committed.Incidents.Values.Single(i => i.Host == "web01");
        c.AbsorbFrom(b);
        c.AbsorbFrom(a);
        var timeline = c.Timeline.Count;
        c.Advance(TimeSpan.Zero);
        Assert.Equal(timeline, c.Timeline.Count);

        b.AbsorbFrom(a);
        b.Advance(TimeSpan.Zero);
        Assert.Equal(parent.Id, b.Committed.Incidents[child.Id].MergedInto);
        c.AbsorbFrom(b);
        Assert.Equal(1, c.Decider.ActiveCount);
    }

    [Fact]
    public void A_parent_absorbed_already_recovered_merges_nothing()
    {
        var (a, b) = Pair();
        a.Apply(Records.Host(NotificationType.Problem, host: "core01"));
        b.Apply(Records.Host(NotificationType.Problem, host: "web01", state: AlertState.Unreachable, timeT: Records.T0 + 5));
        a.Apply(Records.Host(NotificationType.Recovery, host: "core01", state: AlertState.Up, timeT: Records.T0 + 10));

        // Both of the parent's copies arrive before b's next turn: the failing one is learned, the recovered one replaces it.
        b.AbsorbFrom(a);
        var timeline = b.Timeline.Count;
        b.Advance(TimeSpan.Zero);
        Assert.Equal(timeline, b.Timeline.Count);
        Assert.All(b.Committed.Incidents.Values, i => Assert.Null(i.MergedInto));
    }

    [Fact]
    public void A_decider_built_from_the_store_merges_the_children_another_instance_opened_beside_their_failing_parent()
    {
        // Redis was down (or the copy never arrived): each instance decided alone, and the store holds both incidents.
        var (a, b) = Pair();
        a.Apply(Records.Host(NotificationType.Problem, host: "core01"));
        var parent = a.Single();
        b.Apply(Records.Host(NotificationType.Problem, host: "web01", state: AlertState.Unreachable, timeT: Records.T0 + 5));
        var child = b.Committed.Incidents.Values.Single(i => i.Host == "web01");

        b.Restart();
        b.Advance(TimeSpan.Zero);
        Assert.Equal(parent.Id, b.Committed.Incidents[child.Id].MergedInto);
        Assert.Equal(2, b.Committed.Incidents[parent.Id].AlertCount);

        // Built again, it finds nothing more to merge.
        var timeline = b.Timeline.Count;
        b.Restart();
        b.Advance(TimeSpan.Zero);
        Assert.Equal(timeline, b.Timeline.Count);
    }

    [Fact]
    public void An_older_copy_never_replaces_a_newer_state_or_brings_back_a_closed_incident()
    {
        var (a, b) = Pair();
        a.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP"));
        var opened = a.Exported[^1];
        a.Apply(Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 10));
        a.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(IncidentStatus.Closed, a.Single().Status);

        // The copy taken while it was open arrives late (another instance's write was slow): ignored.
        Assert.False(a.Decider.Absorb(opened));
        Assert.Equal(ApplyOutcome.Opened, a.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 3000)));

        // A decider that absorbed the whole history in the wrong order ends with the newest state of each incident.
        foreach (var copy in a.Exported.Reverse())
        {
            b.Decider.Absorb(copy);
        }

        Assert.Equal(1, b.Decider.LiveCount);
        Assert.Equal(ApplyOutcome.Repeated, b.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 3001)));
    }

    [Fact]
    public void Clocks_follow_the_absorbed_copy_and_a_replaced_copy_acts_no_more()
    {
        var (a, b) = Pair();
        a.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP"));
        a.Apply(Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 10));
        b.AbsorbFrom(a);

        // A new problem reopens it on A before B's verification hold ends; B absorbs the reopened copy.
        a.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 60));
        b.AbsorbFrom(a);
        Assert.Equal(1, b.Decider.ActiveCount);

        // B's clock passes the old copy's close time: nothing closes.
        b.Advance(TimeSpan.FromMinutes(31));
        Assert.DoesNotContain(b.Timeline, e => e.Kind == TimelineKind.Closed);
        Assert.Equal(1, b.Decider.ActiveCount);
    }

    [Fact]
    public void A_problem_on_another_instance_joins_a_time_window_group_it_absorbed()
    {
        var group = new GroupingRule("web-outage", new RuleMatch { Service = "HTTP*" }, [GroupKey.Service], TimeSpan.FromMinutes(10), 10);
        var (a, b) = Pair(new CorrelationPolicy { Groups = [group] });
        Assert.Equal(ApplyOutcome.Opened, a.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP")));
        b.AbsorbFrom(a);
        Assert.Equal(ApplyOutcome.Correlated, b.Apply(Records.Service(NotificationType.Problem, host: "web02", service: "HTTP", timeT: Records.T0 + 60)));
        Assert.Equal(["web02"], b.MembersOf(a.Single().Id).Select(m => m.Host));
    }

    [Fact]
    public void A_member_change_carries_that_member_only_and_the_others_stay()
    {
        var (a, b) = Pair();
        a.Apply(Records.Host(NotificationType.Problem, host: "web01"));
        b.AbsorbFrom(a);
        foreach (var service in new[] { "HTTP", "SSH", "Disk" })
        {
            b.Apply(Records.Service(NotificationType.Problem, host: "web01", service: service, timeT: Records.T0 + 5));
        }

        a.AbsorbFrom(b);
        Assert.Equal(ApplyOutcome.Correlated, b.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "Load", timeT: Records.T0 + 6)));
        Assert.Equal(["Load"], b.Exported[^1].Members.Select(m => m.Service));

        // The host's instance keeps the three it had and adds the fourth: all four lead to the host incident.
        a.AbsorbFrom(b);
        foreach (var service in new[] { "HTTP", "SSH", "Disk", "Load" })
        {
            Assert.Equal(ApplyOutcome.Repeated, a.Apply(Records.Service(NotificationType.Problem, host: "web01", service: service, timeT: Records.T0 + 5)));
        }
    }

    [Fact]
    public void New_problems_on_another_instance_during_a_storm_join_the_running_storm_incident()
    {
        var (a, b) = Pair(new CorrelationPolicy { Storm = new StormPolicy { EnterPerMinute = 5, ExitPerMinute = 1 } });
        for (var i = 0; i < 12; i++)
        {
            a.Apply(Records.Service(NotificationType.Problem, host: $"srv{i:00}", timeT: Records.T0 + i));
        }

        var storm = Assert.Single(a.Committed.Incidents.Values, i => i.CorrelationRule == CorrelationRuleNames.Storm);
        b.AbsorbFrom(a);

        // The rate is shared (the committer hands b what the shared state counted for a): b sees the storm's twelve
        // problems of the last minute and joins a's storm incident.
        b.Decider.OtherInstancesStormRate = a.Decider.OwnStormRate(Records.T0 + 20);
        Assert.Equal(12, b.Decider.OtherInstancesStormRate);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ApplyOutcome.Correlated, b.Apply(Records.Service(NotificationType.Problem, host: $"far{i:00}", timeT: Records.T0 + 20 + i)));
        }

        Assert.Single(b.Committed.Incidents.Values, i => i.CorrelationRule == CorrelationRuleNames.Storm);
        Assert.Equal(10, b.MembersOf(storm.Id).Count);
        Assert.True(b.Decider.StormActive);
    }
}
