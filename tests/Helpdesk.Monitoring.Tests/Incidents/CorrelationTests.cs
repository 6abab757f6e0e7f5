using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Tests.Incidents;

public sealed class CorrelationTests
{
    private const string Network = """
        define host {
        	host_name	core01
        	}
        define host {
        	host_name	switch01
        	parents	core01
        	}
        define host {
        	host_name	web01
        	parents	switch01
        	}
        define servicedependency {
        	host_name	db01
        	service_description	MySQL
        	dependent_host_name	app01
        	dependent_service_description	Orders API
        	}
        """;

    private static IncidentPolicy Policy(CorrelationPolicy? correlation = null, string topology = Network) => new()
    {
        Rules = new HelpdeskRules { Correlation = correlation ?? new CorrelationPolicy() },
        Topology = new LiveTopology(ObjectsCacheReader.Read(new StringReader(topology))),
    };

    private static IncidentRecord[] Active(DeciderDriver d) =>
        d.Incidents.Values.Where(i => i.Status is IncidentStatus.Open or IncidentStatus.Acknowledged).ToArray();

    [Fact]
    public void A_service_on_a_down_host_joins_the_host_incident_with_the_rule_and_key_recorded()
    {
        var d = new DeciderDriver(Policy());
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Host(NotificationType.Problem, host: "web01")));
        Assert.Equal(ApplyOutcome.Correlated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5)));
        Assert.Equal(ApplyOutcome.Correlated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "SSH", timeT: Records.T0 + 6)));

        var incident = d.Single();
        Assert.Equal(3, incident.AlertCount);
        var members = d.MembersOf(incident.Id);
        Assert.Equal(["HTTP", "SSH"], members.Select(m => m.Service).Order());
        Assert.All(members, m => Assert.Equal((CorrelationRuleNames.HostDown, "web01"), (m.Rule, m.Key)));
        Assert.Contains(d.Timeline, e => e.Kind == TimelineKind.Correlated && e.Text.Contains("web01/HTTP CRITICAL joined by rule host-down (key web01)", StringComparison.Ordinal));

        // Another contact's copy of a member's problem counts on the incident, nothing more.
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5)));
        Assert.Equal(4, d.Single().AlertCount);
    }

    [Fact]
    public void A_host_that_goes_down_after_its_services_notified_absorbs_their_incidents()
    {
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "SSH", timeT: Records.T0 + 1));
        d.Apply(Records.Service(NotificationType.Problem, host: "web02", service: "HTTP", timeT: Records.T0 + 1));
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 30)));

        var host = Assert.Single(Active(d), i => i.Host == "web01");
        Assert.Equal("", host.Service);
        Assert.Equal(["HTTP", "SSH"], d.MembersOf(host.Id).Select(m => m.Service).Order());
        var merged = d.Incidents.Values.Where(i => i.MergedInto == host.Id).ToArray();
        Assert.Equal(2, merged.Length);
        Assert.All(merged, i => Assert.Equal(IncidentStatus.Closed, i.Status));
        Assert.Single(Active(d), i => i.Host == "web02");
        Assert.Equal(3, host.AlertCount);

        // The merged alerts now lead to the host's incident.
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 40)));
        Assert.Equal(2, Active(d).Length);
    }

    [Fact]
    public void A_parent_down_holds_its_unreachable_children_and_their_services_in_one_incident()
    {
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Host(NotificationType.Problem, host: "core01"));
        Assert.Equal(ApplyOutcome.Correlated, d.Apply(Records.Host(NotificationType.Problem, host: "switch01", state: AlertState.Unreachable, timeT: Records.T0 + 2)));
        Assert.Equal(ApplyOutcome.Correlated, d.Apply(Records.Host(NotificationType.Problem, host: "web01", state: AlertState.Unreachable, timeT: Records.T0 + 3)));
        Assert.Equal(ApplyOutcome.Correlated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 4)));

        var incident = d.Single();
        Assert.Equal("core01", incident.Host);
        var members = d.MembersOf(incident.Id).ToDictionary(m => m.Name);
        Assert.Equal((CorrelationRuleNames.ParentDown, "core01"), (members["switch01"].Rule, members["switch01"].Key));
        Assert.Equal((CorrelationRuleNames.ParentDown, "switch01"), (members["web01"].Rule, members["web01"].Key));
        Assert.Equal((CorrelationRuleNames.HostDown, "web01"), (members["web01/HTTP"].Rule, members["web01/HTTP"].Key));
    }

    [Fact]
    public void An_unreachable_child_reported_before_its_parent_is_merged_when_the_parent_goes_down()
    {
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Host(NotificationType.Problem, host: "switch01", state: AlertState.Unreachable));
        d.Apply(Records.Host(NotificationType.Problem, host: "core01", timeT: Records.T0 + 1));
        var incident = Assert.Single(Active(d));
        Assert.Equal("core01", incident.Host);
        Assert.Equal("switch01", Assert.Single(d.MembersOf(incident.Id)).Host);
    }

    [Fact]
    public void A_merged_incident_s_members_keep_the_rule_that_explained_them_whatever_the_arrival_order()
    {
        // The grandchild before its parent: web01 opens (holding its service), then is merged when switch01 joins core01.
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Host(NotificationType.Problem, host: "core01"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 1));
        d.Apply(Records.Host(NotificationType.Problem, host: "web01", state: AlertState.Unreachable, timeT: Records.T0 + 2));
        d.Apply(Records.Host(NotificationType.Problem, host: "switch01", state: AlertState.Unreachable, timeT: Records.T0 + 3));

        var incident = Assert.Single(d.Incidents.Values, i => i.Status == IncidentStatus.Open);
        var members = d.MembersOf(incident.Id).ToDictionary(m => m.Name, m => (m.Rule, m.Key));
        Assert.Equal((CorrelationRuleNames.HostDown, "web01"), members["web01/HTTP"]);
        Assert.Equal((CorrelationRuleNames.ParentDown, "switch01"), members["web01"]);
        Assert.Equal((CorrelationRuleNames.ParentDown, "core01"), members["switch01"]);
    }

    [Fact]
    public void Without_topology_an_unreachable_host_joins_the_host_that_went_down_just_before_it_and_not_one_long_ago()
    {
        var d = new DeciderDriver(Policy(topology: ""));
        d.Apply(Records.Host(NotificationType.Problem, host: "core01"));
        d.Apply(Records.Host(NotificationType.Problem, host: "switch01", state: AlertState.Unreachable, timeT: Records.T0 + 2));
        var incident = Assert.Single(Active(d));
        Assert.Equal((CorrelationRuleNames.Unreachable, "core01"), d.MembersOf(incident.Id).Select(m => (m.Rule, m.Key)).Single());

        // Ten minutes later, another UNREACHABLE host is not explained by that outage: its own incident.
        d.Apply(Records.Host(NotificationType.Problem, host: "lab01", state: AlertState.Unreachable, timeT: Records.T0 + 600));
        Assert.Equal(2, Active(d).Length);
    }

    [Fact]
    public void With_a_topology_an_unreachable_host_without_a_failing_parent_stays_apart()
    {
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Host(NotificationType.Problem, host: "core01"));
        d.Apply(Records.Host(NotificationType.Problem, host: "lab99", state: AlertState.Unreachable, timeT: Records.T0 + 2));
        Assert.Equal(2, Active(d).Length);
    }

    [Fact]
    public void A_service_dependency_from_objects_cache_correlates_the_dependent_service()
    {
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "MySQL"));
        Assert.Equal(ApplyOutcome.Correlated, d.Apply(Records.Service(NotificationType.Problem, host: "app01", service: "Orders API", timeT: Records.T0 + 3)));
        var member = Assert.Single(d.MembersOf(d.Single().Id));
        Assert.Equal((CorrelationRuleNames.ServiceDependency, "db01/MySQL"), (member.Rule, member.Key));
    }

    [Theory]
    [InlineData(ResolvePolicy.AllRecovered, IncidentStatus.Open, IncidentStatus.Resolved)]
    [InlineData(ResolvePolicy.CauseRecovered, IncidentStatus.Resolved, IncidentStatus.Resolved)]
    [InlineData(ResolvePolicy.Manual, IncidentStatus.Open, IncidentStatus.Open)]
    public void Resolve_policies_decide_when_a_multi_alert_incident_resolves(ResolvePolicy policy, IncidentStatus afterCause, IncidentStatus afterAll)
    {
        var d = new DeciderDriver(Policy(new CorrelationPolicy { Resolve = policy }));
        d.Apply(Records.Host(NotificationType.Problem, host: "web01"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5));

        d.Apply(Records.Host(NotificationType.Recovery, host: "web01", state: AlertState.Up, output: "PING OK", timeT: Records.T0 + 60));
        Assert.Equal(afterCause, d.Single().Status);
        d.Apply(Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, output: "HTTP OK", timeT: Records.T0 + 70));
        Assert.Equal(afterAll, d.Single().Status);
        if (policy == ResolvePolicy.Manual)
        {
            Assert.Contains(d.Timeline, e => e.Text.Contains("resolve policy is manual", StringComparison.Ordinal));
        }

        // The resolution says what the incident still held when it resolved.
        if (policy == ResolvePolicy.CauseRecovered)
        {
            Assert.Contains(d.Timeline, e => e.Kind == TimelineKind.Resolved
                && e.Text.StartsWith("Cause recovered (UP): PING OK; its cause has recovered (resolve policy: cause), with 1 of 1 correlated alerts still failing", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_last_member_to_recover_resolves_and_the_state_survives_a_restart()
    {
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Host(NotificationType.Problem, host: "web01"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "SSH", timeT: Records.T0 + 5));
        d.Apply(Records.Host(NotificationType.Recovery, host: "web01", state: AlertState.Up, timeT: Records.T0 + 60));
        d.Apply(Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 61));
        Assert.Contains(d.Timeline, e => e.Text.Contains("waiting for 1 of 2 correlated alerts", StringComparison.Ordinal));

        d.Restart();
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 61)));
        Assert.Equal(ApplyOutcome.Resolved, d.Apply(Records.Service(NotificationType.Recovery, host: "web01", service: "SSH", state: AlertState.Ok, timeT: Records.T0 + 62)));
        Assert.Equal(IncidentStatus.Resolved, d.Single().Status);
        Assert.Contains("; all 2 correlated alerts have recovered", d.Timeline[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_whose_recovery_overtook_its_problem_joins_recovered()
    {
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Host(NotificationType.Problem, host: "web01"));
        Assert.Equal(ApplyOutcome.Ignored, d.Apply(Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 30)));
        Assert.Equal(ApplyOutcome.Correlated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5)));
        Assert.True(Assert.Single(d.MembersOf(d.Single().Id)).Recovered);

        Assert.Equal(ApplyOutcome.Resolved, d.Apply(Records.Host(NotificationType.Recovery, host: "web01", state: AlertState.Up, timeT: Records.T0 + 60)));
    }

    [Fact]
    public void Acknowledging_a_member_acknowledges_the_incident()
    {
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Host(NotificationType.Problem, host: "web01"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5));
        Assert.Equal(ApplyOutcome.Acknowledged, d.Apply(Records.Service(NotificationType.Acknowledgement, host: "web01", service: "HTTP", author: "alice", comment: "on it", timeT: Records.T0 + 9)));
        Assert.Equal(("alice", IncidentStatus.Acknowledged), (d.Single().AcknowledgedBy, d.Single().Status));
    }

    [Fact]
    public void A_member_failing_again_after_its_incident_resolved_is_correlated_afresh()
    {
        var d = new DeciderDriver(Policy(new CorrelationPolicy { Resolve = ResolvePolicy.CauseRecovered }));
        d.Apply(Records.Host(NotificationType.Problem, host: "web01"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5));
        d.Apply(Records.Host(NotificationType.Recovery, host: "web01", state: AlertState.Up, timeT: Records.T0 + 60));

        // A late copy of the member's problem from before the resolve only counts.
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 4)));
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 600)));
        Assert.Single(Active(d), i => i.Service == "HTTP");
    }

    [Fact]
    public void A_late_copy_of_a_members_problem_timed_before_its_recovery_only_counts_while_open_and_after_the_resolve()
    {
        // No problem ids (an older Nagios, or another sender): the member's recovery time bounds its episode.
        var d = new DeciderDriver(Policy());
        d.Apply(Records.Host(NotificationType.Problem, host: "web01"));
        d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 5));
        d.Apply(Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 40));

        // A contact's copy of the member's problem, timed between its problem and its recovery, arrives late.
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 20)));
        Assert.True(Assert.Single(d.MembersOf(d.Single().Id)).Recovered);

        Assert.Equal(ApplyOutcome.Resolved, d.Apply(Records.Host(NotificationType.Recovery, host: "web01", state: AlertState.Up, timeT: Records.T0 + 60)));
        Assert.Equal(ApplyOutcome.Repeated, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 30)));
        Assert.Equal(IncidentStatus.Resolved, Assert.Single(d.Incidents.Values).Status);

        // After the recovery's time it is a new episode.
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 600)));
    }

    [Fact]
    public void Time_window_groups_collect_by_key_up_to_their_size_and_window()
    {
        var group = new GroupingRule("web-outage", new RuleMatch { Service = "HTTP*" }, [GroupKey.Customer, GroupKey.Service], TimeSpan.FromMinutes(10), 3);
        var d = new DeciderDriver(Policy(new CorrelationPolicy { Groups = [group] }));
        for (var i = 1; i <= 4; i++)
        {
            d.Apply(Records.Service(NotificationType.Problem, host: $"web{i:00}", service: "HTTP", timeT: Records.T0 + i));
        }

        d.Apply(Records.Service(NotificationType.Problem, host: "web09", service: "HTTP", customer: "globex", timeT: Records.T0 + 5));
        d.Apply(Records.Service(NotificationType.Problem, host: "web10", service: "HTTP", timeT: Records.T0 + 900));
        d.Apply(Records.Service(NotificationType.Problem, host: "db01", service: "Disk", timeT: Records.T0 + 6));

        var active = Active(d).OrderBy(i => i.Id).ToArray();
        Assert.Equal(5, active.Length);
        Assert.Equal(("group:web-outage", "acme|HTTP"), (active[0].CorrelationRule, active[0].CorrelationKey));
        Assert.Equal(["web02", "web03"], d.MembersOf(active[0].Id).Select(m => m.Host).Order());

        // A full group starts the next one, as does a problem after the window.
        Assert.Equal(("web04", "acme|HTTP"), (active[1].Host, active[1].CorrelationKey));
        Assert.Equal("globex|HTTP", active[2].CorrelationKey);
        Assert.Equal(("web10", "acme|HTTP"), (active[3].Host, active[3].CorrelationKey));
        Assert.Empty(d.MembersOf(active[3].Id));
        Assert.Equal(("db01", ""), (active[4].Host, active[4].CorrelationRule));
    }

    [Fact]
    public void A_burst_arriving_out_of_nagios_time_order_is_one_storm()
    {
        // Kafka partitions read side by side deliver a burst interleaved: a slower partition's problem from the start of
        // the burst arrives in the middle of it, and Nagios' times go back and forth.
        var d = new DeciderDriver(Policy(new CorrelationPolicy { Storm = new StormPolicy { EnterPerMinute = 5, ExitPerMinute = 1 } }));
        int[] order = [30, 31, 32, 33, 34, 35, 41, 36, 40, 0, 37, 39, 38, 43, 42, 44];
        foreach (var i in order)
        {
            d.Apply(Records.Service(NotificationType.Problem, host: $"srv{i:00}", timeT: Records.T0 + i));
        }

        var storm = Assert.Single(d.Incidents.Values, i => i.CorrelationRule == CorrelationRuleNames.Storm);
        Assert.Equal(order.Length - 5, d.MembersOf(storm.Id).Count);
        Assert.Equal(5, d.Incidents.Values.Count(i => i.CorrelationRule != CorrelationRuleNames.Storm));
    }

    [Fact]
    public void A_storm_ends_when_the_rate_falls_to_the_exit_level_and_the_next_problem_opens_its_own_incident()
    {
        var d = new DeciderDriver(Policy(new CorrelationPolicy { Storm = new StormPolicy { EnterPerMinute = 5, ExitPerMinute = 2 } }));
        for (var i = 0; i < 8; i++)
        {
            d.Apply(Records.Service(NotificationType.Problem, host: $"srv{i:00}", timeT: Records.T0 + i));
        }

        Assert.True(d.Decider.StormActive);

        // Seventy seconds on, one new problem in the last minute: below the exit level, the storm ends with it.
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem, host: "calm01", timeT: Records.T0 + 70)));
        Assert.False(d.Decider.StormActive);
        Assert.Contains(d.Timeline, e => e.Kind == TimelineKind.StormEnded);
        Assert.Equal("calm01", d.Incidents.Values.Single(i => i.Host == "calm01").Host);
    }

    [Fact]
    public void A_storm_collects_new_problems_above_the_threshold_and_ends_when_calm()
    {
        var d = new DeciderDriver(Policy(new CorrelationPolicy { Storm = new StormPolicy { EnterPerMinute = 5, ExitPerMinute = 1 } }));
        for (var i = 0; i < 12; i++)
        {
            d.Apply(Records.Service(NotificationType.Problem, host: $"srv{i:00}", timeT: Records.T0 + i));
        }

        Assert.True(d.Decider.StormActive);
        var storm = Assert.Single(d.Incidents.Values, i => i.CorrelationRule == CorrelationRuleNames.Storm);
        Assert.Equal("", storm.Host);
        Assert.Equal(7, d.MembersOf(storm.Id).Count);
        Assert.Equal(6, d.Incidents.Count);
        Assert.Contains(d.Timeline, e => e.Kind == TimelineKind.StormStarted && e.IncidentId == storm.Id);

        d.Advance(TimeSpan.FromMinutes(2));
        Assert.False(d.Decider.StormActive);
        Assert.Contains(d.Timeline, e => e.Kind == TimelineKind.StormEnded && e.Text.Contains("7 alerts collected", StringComparison.Ordinal));
        Assert.Equal(ApplyOutcome.Opened, d.Apply(Records.Service(NotificationType.Problem, host: "late01", timeT: Records.T0 + 200)));

        // The storm incident resolves when everything it collected has recovered.
        for (var i = 5; i < 12; i++)
        {
            d.Apply(Records.Service(NotificationType.Recovery, host: $"srv{i:00}", state: AlertState.Ok, timeT: Records.T0 + 300));
        }

        Assert.Equal(IncidentStatus.Resolved, d.Incidents[storm.Id].Status);
    }

    [Fact]
    public void Objects_cache_reader_reads_parents_dependencies_and_groups()
    {
        var topology = ObjectsCacheReader.Read(new StringReader(Network + "\n" + """
            define hostgroup {
            	hostgroup_name	web-servers
            	members	web01,web02
            	}
            define hostdependency {
            	host_name	nas01
            	dependent_host_name	backup01
            	}
            """));
        Assert.Equal([new HostLink("switch01", CorrelationRuleNames.ParentDown)], topology.MastersOf("web01").ToArray());
        Assert.Equal([new HostLink("backup01", CorrelationRuleNames.HostDependency)], topology.DependentsOf("nas01").ToArray());
        Assert.Equal([("db01", "MySQL")], topology.ServiceMastersOf("app01", "Orders API").ToArray());
        Assert.Equal("web-servers", topology.GroupsOf("web02"));
        Assert.Empty(topology.MastersOf("core01").ToArray());
    }
}
