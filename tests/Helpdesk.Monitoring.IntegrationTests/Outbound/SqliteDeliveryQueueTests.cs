using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.IntegrationTests.Stores;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.Tests;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>
/// The delivery queue in a real SQLite file: written with the decision, claimed in order per incident, leased, and
/// marked sent, to retry or dead.
/// </summary>
public sealed class SqliteDeliveryQueueTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();
    private readonly SqliteIncidentStore _store;

    public SqliteDeliveryQueueTests() => _store = new SqliteIncidentStore(new SqliteStoreOptions { Path = _dir.Combine("helpdesk.db") });

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    /// <summary>web01 opens, then acknowledges and recovers; db01 opens: four events, routed to the channels given.</summary>
    private async Task<CommitPlan> CommitAsync(params string[] channels)
    {
        await _store.InitializeAsync(default);
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var plan = Plans.Decide(decider,
            Records.Service(NotificationType.Problem, host: "web01"),
            Records.Service(NotificationType.Acknowledgement, host: "web01", author: "alice", comment: "on it", timeT: Records.T0 + 1),
            Records.Service(NotificationType.Recovery, host: "web01", state: AlertState.Ok, output: "OK", timeT: Records.T0 + 2),
            Records.Service(NotificationType.Problem, host: "db01", timeT: Records.T0 + 3));
        plan.Route(_ => channels, Now, TimeSpan.Zero);
        Assert.True((await _store.CommitAsync(plan, default)).IsCommitted);
        return plan;
    }

    [Fact]
    public async Task A_committed_plans_deliveries_are_claimed_oldest_first_one_per_incident_at_a_time()
    {
        var plan = await CommitAsync("hook");
        Assert.Equal(4, plan.Deliveries.Count);

        var first = await _store.ClaimDueAsync("hook", Now, Now + Lease, 10, default);

        // web01's first event and db01's: web01's later events wait until its first is sent.
        Assert.Equal([("INC-000001", IncidentEventKind.Opened), ("INC-000002", IncidentEventKind.Opened)],
            first.Select(d => (d.Event.Number, d.Event.Kind)));
        Assert.All(first, d => Assert.Equal(1, d.Attempts));
        var web = first[0];
        Assert.Equal(("web01", "HTTP", "helpdesk", "acme"), (web.Incident.Host, web.Incident.Service, web.Incident.Team, web.Incident.Customer));
        Assert.Equal(Now, web.QueuedAt);

        // Claimed: not due again within the lease.
        Assert.Empty(await _store.ClaimDueAsync("hook", Now.AddSeconds(1), Now.AddSeconds(1) + Lease, 10, default));

        await _store.MarkSentAsync("hook", [web.Event.Id], Now.AddSeconds(1), default);
        var next = await _store.ClaimDueAsync("hook", Now.AddSeconds(1), Now.AddSeconds(1) + Lease, 10, default);
        Assert.Equal([IncidentEventKind.Acknowledged], next.Select(d => d.Event.Kind));
    }

    [Fact]
    public async Task A_lapsed_lease_makes_a_delivery_due_again_with_its_attempts_counted()
    {
        await CommitAsync("hook");
        var claimed = await _store.ClaimDueAsync("hook", Now, Now + Lease, 10, default);
        Assert.Equal(Now + Lease, await _store.NextDueAsync("hook", default));

        var again = await _store.ClaimDueAsync("hook", Now + Lease, Now + Lease + Lease, 10, default);

        Assert.Equal(claimed.Select(d => d.Event.Id), again.Select(d => d.Event.Id));
        Assert.All(again, d => Assert.Equal(2, d.Attempts));
    }

    [Fact]
    public async Task A_retry_waits_and_holds_back_the_incidents_later_events_and_a_dead_one_lets_them_go()
    {
        await CommitAsync("hook");
        var claimed = await _store.ClaimDueAsync("hook", Now, Now + Lease, 10, default);
        var web = claimed[0];
        await _store.MarkSentAsync("hook", [claimed[1].Event.Id], Now, default);

        await _store.MarkRetryAsync("hook", [web.Event.Id], Now.AddMinutes(5), "the webhook answered 503", default);
        Assert.Empty(await _store.ClaimDueAsync("hook", Now.AddMinutes(1), Now.AddMinutes(2), 10, default));
        Assert.Equal(Now.AddMinutes(5), await _store.NextDueAsync("hook", default));

        await _store.MarkDeadAsync("hook", [web.Event.Id], Now.AddMinutes(1), "the webhook answered 400", default);
        var next = await _store.ClaimDueAsync("hook", Now.AddMinutes(1), Now.AddMinutes(2), 10, default);
        Assert.Equal([IncidentEventKind.Acknowledged], next.Select(d => d.Event.Kind));
        Assert.Equal([new Ports.ChannelBacklog("hook", 2, 1)], await _store.BacklogAsync(default));
    }

    [Fact]
    public async Task Channels_are_queued_apart_and_a_plan_written_twice_queues_nothing_twice()
    {
        var plan = await CommitAsync("hook", "mail");
        await _store.CommitAsync(plan, default);

        Assert.Equal([new Ports.ChannelBacklog("hook", 4, 0), new Ports.ChannelBacklog("mail", 4, 0)], await _store.BacklogAsync(default));
        var mail = await _store.ClaimDueAsync("mail", Now, Now + Lease, 10, default);
        Assert.Equal(2, mail.Count);
        Assert.Null(await _store.NextDueAsync("other", default));
    }

    [Fact]
    public async Task The_updates_an_incident_gathers_in_the_fold_window_go_out_as_one_delivery_and_its_other_events_alone()
    {
        await _store.InitializeAsync(default);
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var window = TimeSpan.FromSeconds(30);
        var plan = Plans.Decide(decider,
        [
            Records.Host(NotificationType.Problem, host: "router01"),
            .. Enumerable.Range(1, 4).Select(k => Records.Service(NotificationType.Problem, host: "router01", service: $"svc{k}", timeT: Records.T0 + k)),
            Records.Host(NotificationType.Acknowledgement, host: "router01", timeT: Records.T0 + 5) with { Author = "alice", Comment = "on it" },
            Records.Service(NotificationType.Problem, host: "router01", service: "svc5", timeT: Records.T0 + 6),
        ]);
        plan.Route(_ => ["hook"], Now, window);
        Assert.True((await _store.CommitAsync(plan, default)).IsCommitted);

        var opened = Assert.Single(await _store.ClaimDueAsync("hook", Now, Now + Lease, 10, default));
        Assert.Equal(IncidentEventKind.Opened, opened.Event.Kind);
        await _store.MarkSentAsync("hook", opened.Ids, Now, default);

        // The joined services wait out the window: nothing is due before it ends.
        Assert.Empty(await _store.ClaimDueAsync("hook", Now.AddSeconds(29), Now.AddSeconds(29) + Lease, 10, default));
        Assert.Equal(Now + window, await _store.NextDueAsync("hook", default));

        var folded = Assert.Single(await _store.ClaimDueAsync("hook", Now + window, Now + window + Lease, 10, default));
        Assert.Equal(IncidentEventKind.Correlated, folded.Event.Kind);
        Assert.Contains("svc4", folded.Event.Text, StringComparison.Ordinal);
        Assert.Equal(3, folded.Folded.Count);
        Assert.Equal(4, folded.Ids.Count);
        await _store.MarkSentAsync("hook", folded.Ids, Now + window, default);

        // Then the acknowledgement on its own, and the update after it waits for nothing else.
        var ack = Assert.Single(await _store.ClaimDueAsync("hook", Now + window, Now + window + Lease, 10, default));
        Assert.Equal(IncidentEventKind.Acknowledged, ack.Event.Kind);
        await _store.MarkSentAsync("hook", ack.Ids, Now + window, default);
        var last = Assert.Single(await _store.ClaimDueAsync("hook", Now + window, Now + window + Lease, 10, default));
        Assert.Equal((IncidentEventKind.Correlated, 0), (last.Event.Kind, last.Folded.Count));
        await _store.MarkSentAsync("hook", last.Ids, Now + window, default);
        Assert.Empty(await _store.BacklogAsync(default));
    }
}
