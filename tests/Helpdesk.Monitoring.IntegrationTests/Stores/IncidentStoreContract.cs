using System.Data.Common;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Stores;

/// <summary>
/// What every incident store must do, whatever the database: one suite, run against SQLite always and against SQL
/// Server when a connection string is given (<see cref="SqlServerFactAttribute"/>). Each store's class runs every
/// check below through a thin test method.
/// </summary>
public abstract partial class IncidentStoreContract
{
    /// <summary>A fresh, empty, initialised store and its query side; disposing it removes the database.</summary>
    protected abstract Task<Store> CreateAsync();

    protected sealed record Store(IIncidentStore Writes, IIncidentQueries Reads, IAsyncDisposable Owner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owner.DisposeAsync();
    }

    protected async Task CommitsAndLoadsIncidentsMembersAndClocks()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        Assert.True((await store.Writes.CommitAsync(Plans.Decide(decider,
            Records.Service(NotificationType.Problem, host: "web01", service: "HTTP"),
            Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 10),
            Records.Service(NotificationType.Problem, host: "web01", service: "SSH", timeT: Records.T0 + 20),
            Records.Service(NotificationType.Problem, host: "db01"),
            Records.Service(NotificationType.Recovery, host: "db01", state: AlertState.Ok, timeT: Records.T0 + 30)), default)).IsCommitted);

        var snapshot = await store.Writes.LoadAsync(default);
        Assert.Equal(3, snapshot.LastIncidentId);
        Assert.True(snapshot.MaxEventUnixMs > 0);
        Assert.Equal(["db01/HTTP resolved", "web01/ open"], snapshot.Live.Select(i => $"{i.Host}/{i.Service} {i.Status.ToString().ToLowerInvariant()}").Order());
        Assert.Equal(["HTTP", "SSH"], snapshot.Members.Select(m => m.Service).Order());
        var host = snapshot.Live.Single(i => i.Host == "web01");
        // The host took in the HTTP incident opened ten seconds before it, and with it that incident's earlier deadline.
        Assert.Equal(("24x7", DateTimeOffset.FromUnixTimeSeconds(Records.T0).AddMinutes(30)), (host.Sla.Calendar, host.Sla.ResponseDueAt));

        var merged = await store.Reads.GetAsync(1, default);
        Assert.Equal((IncidentStatus.Closed, host.Id), (merged!.Incident.Status, merged.Incident.MergedInto));
        var detail = await store.Reads.GetAsync(host.Id, default);
        Assert.Equal(2, detail!.Members.Count);
        Assert.Contains(detail.Timeline, e => e.Kind == TimelineKind.Correlated);

        // A decider rebuilt from the store decides the same: the last member's recovery resolves.
        var rebuilt = new IncidentDecider(new IncidentPolicy(), snapshot.Live, snapshot.LastIncidentId, 0, snapshot.Members);
        await store.Writes.CommitAsync(Plans.Decide(rebuilt,
            Records.Host(NotificationType.Recovery, host: "web01", state: AlertState.Up, timeT: Records.T0 + 60),
            Records.Service(NotificationType.Recovery, host: "web01", service: "HTTP", state: AlertState.Ok, timeT: Records.T0 + 61),
            Records.Service(NotificationType.Recovery, host: "web01", service: "SSH", state: AlertState.Ok, timeT: Records.T0 + 62)), default);
        Assert.Equal(IncidentStatus.Resolved, (await store.Reads.GetAsync(host.Id, default))!.Incident.Status);
    }

    protected async Task ReadsBackEveryFieldAsDecided()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var decided = new IncidentProjection();
        var events = new List<IncidentEvent>();
        async Task CommitAt(long second, params Notification[] notifications)
        {
            var now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + second);
            var plan = new CommitPlan();
            decider.ApplyTimers(now, plan);
            foreach (var n in notifications)
            {
                var record = Records.Bytes(n);
                var fields = Records.Parse(record);
                decider.Apply(record, in fields, now, false, plan);
            }

            plan.Seal();
            decided.Apply(plan);
            events.AddRange(plan.IncidentEvents);
            Assert.True((await store.Writes.CommitAsync(plan, default)).IsCommitted);

            // After every commit, not only the last: a later update rewrites every mutable column and would hide a
            // column an insert wrote wrong.
            foreach (var expected in decided.Incidents.Values)
            {
                Assert.Equal(expected, (await store.Reads.GetAsync(expected.Id, default))!.Incident);
            }
        }

        // Every flag and clock set on some incident and clear on another: flapping, maintenance, acknowledged,
        // correlated members (one recovered), then an hour later breached and escalated SLA targets.
        await CommitAt(0,
            Records.Service(NotificationType.Problem, host: "flap01"),
            Records.Host(NotificationType.Problem, host: "dt01"),
            Records.Service(NotificationType.Problem, host: "late01"),
            Records.Service(NotificationType.Problem, host: "ack01"),
            Records.Service(NotificationType.Acknowledgement, host: "ack01", author: "alice", comment: "on it", timeT: Records.T0 + 2),
            Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 3),
            Records.Service(NotificationType.Problem, host: "web01", service: "SSH", timeT: Records.T0 + 4),
            Records.Service(NotificationType.Recovery, host: "web01", service: "SSH", state: AlertState.Ok, timeT: Records.T0 + 5),
            Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 6),

            // Flapping from its first notification: the flag is set when the incident is first written.
            Records.Service(NotificationType.FlappingStart, host: "flap02", timeT: Records.T0 + 7));
        await CommitAt(10,
            Records.Service(NotificationType.FlappingStart, host: "flap01", timeT: Records.T0 + 10),
            Records.Host(NotificationType.DowntimeStart, host: "dt01", timeT: Records.T0 + 10));
        await CommitAt(3600);
        await CommitAt(86_400);

        Assert.Contains(decided.Incidents.Values, i => i.Flapping);
        Assert.Contains(decided.Incidents.Values, i => i.InMaintenance);
        Assert.Contains(decided.Incidents.Values, i => i.Sla.ResponseBreached);
        Assert.Contains(decided.Incidents.Values, i => i.Sla.ResolutionBreached);
        foreach (var expected in decided.Incidents.Values)
        {
            var read = (await store.Reads.GetAsync(expected.Id, default))!;
            Assert.Equal(expected, read.Incident);
            Assert.Equal(decided.MembersOf(expected.Id).OrderBy(m => m.Service), read.Members.OrderBy(m => m.Service));

            // The timeline as decided, with the notification behind each entry (and none behind the clock's).
            Assert.Equal(decided.Timeline.Where(e => e.IncidentId == expected.Id), read.Timeline);

            // The outbox: one event per timeline entry, as decided, with the incident as it stood right after it.
            Assert.Equal(events.Where(e => e.IncidentId == expected.Id), read.Events);
            Assert.Equal(read.Timeline.Select(t => (t.Seq, t.At, t.EventId, t.Text)), read.Events.Select(e => (e.Seq, e.At, e.Cause, e.Text)));
        }

        Assert.Contains(decided.Timeline, e => e.EventId is null);
        Assert.Contains(decided.Timeline, e => e.EventId is not null);
        Assert.Contains(events, e => e.Kind == IncidentEventKind.MaintenanceStarted);
        Assert.Contains(events, e => e.Kind == IncidentEventKind.FlappingStarted);
        Assert.Contains(events, e => e.Kind == IncidentEventKind.Breached);
    }

    protected async Task TakesTheSameIncidentUnderItsIdAsStaleAndRefusesAnotherOpenedLater()
    {
        await using var store = await CreateAsync();
        var now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100);
        await store.Writes.CommitAsync(Plans.DecideAt(new IncidentDecider(new IncidentPolicy(), [], 0, 0), now, Records.Service(NotificationType.Problem, host: "a01")), default);

        // Another instance opened the same identity at the same moment under the same id (a copy of the problem, decided
        // without knowing the first): the same incident, so not a refusal, but a plan decided on stale state. Nothing
        // of it is written and the caller is told which incident to read again.
        var copy = Records.Service(NotificationType.Problem, host: "a01", output: "CRITICAL - the copy's output");
        var stale = await store.Writes.CommitAsync(Plans.DecideAt(new IncidentDecider(new IncidentPolicy(), [], 0, 0), now, copy), default);
        Assert.False(stale.IsCommitted);
        Assert.Equal([1L], stale.ChangedElsewhere);
        Assert.Equal("CRITICAL - connection refused", (await store.Reads.GetAsync(1, default))!.Incident.LastOutput);
        Assert.Empty(await store.Writes.FindAppliedAsync([copy.EventId], default));

        // Opened at another moment, it is another incident that wants the id: refused.
        var later = Records.Service(NotificationType.Problem, host: "a01", timeT: Records.T0 + 50);
        var refusal = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await store.Writes.CommitAsync(Plans.DecideAt(new IncidentDecider(new IncidentPolicy(), [], 0, 0), now.AddSeconds(50), later), default));
        AssertIdTakenRefusal(refusal);
        Assert.Empty(await store.Writes.FindAppliedAsync([later.EventId], default));
    }

    protected async Task KeepsScheduledDowntimesFromStartToEndAndADeciderRebuiltFromThemHoldsProblemsInMaintenance()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var since = DateTimeOffset.FromUnixTimeSeconds(Records.T0);
        var started = Plans.Decide(decider,
            Records.Host(NotificationType.DowntimeStart, host: "web01", state: AlertState.Up),
            Records.Service(NotificationType.DowntimeStart, host: "db01", service: "Disk"),
            Records.Service(NotificationType.DowntimeStart, host: "fs01", service: "Disk"),
            Records.Service(NotificationType.DowntimeEnd, host: "fs01", service: "Disk", state: AlertState.Ok, timeT: Records.T0 + 5));
        Assert.True((await store.Writes.CommitAsync(started, default)).IsCommitted);

        var snapshot = await store.Writes.LoadAsync(default);
        Assert.Equal([new ScheduledDowntime("nagios-a", "db01", "Disk", since), new ScheduledDowntime("nagios-a", "web01", "", since)],
            snapshot.Downtimes.OrderBy(d => d.Host));

        // Rebuilt from the store, a decider holds a problem on the host's services in maintenance.
        var rebuilt = new IncidentDecider(new IncidentPolicy(), snapshot.Live, snapshot.LastIncidentId, 0, snapshot.Members, snapshot.Downtimes);
        await store.Writes.CommitAsync(Plans.Decide(rebuilt,
            Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0 + 60),
            Records.Service(NotificationType.DowntimeCancelled, host: "db01", service: "Disk", state: AlertState.Ok, timeT: Records.T0 + 61)), default);
        Assert.True((await store.Reads.GetAsync(1, default))!.Incident.InMaintenance);
        Assert.Equal([new ScheduledDowntime("nagios-a", "web01", "", since)], (await store.Writes.LoadAsync(default)).Downtimes);

        // The first plan again is refused whole (its events were applied): the downtime db01 ended stays ended.
        Assert.False((await store.Writes.CommitAsync(started, default)).IsCommitted);
        Assert.Single((await store.Writes.LoadAsync(default)).Downtimes);
    }

    protected async Task KeepsARecoveryThatCameBeforeItsProblemUntilThatProblemComes()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var recovery = Records.Service(NotificationType.Recovery, host: "web01", state: AlertState.Ok, output: "HTTP OK - 200", timeT: Records.T0 + 60)
            with { ServiceProblemId = "77", LastServiceProblemId = "0" };
        Assert.True((await store.Writes.CommitAsync(Plans.Decide(decider, recovery,
            Records.Service(NotificationType.Recovery, host: "db01", state: AlertState.Ok, timeT: Records.T0 + 60)), default)).IsCommitted);

        var snapshot = await store.Writes.LoadAsync(default);
        Assert.Equal(new EarlyRecovery("nagios-a", "web01", "HTTP", Records.T0 + 60, "77", "HTTP OK - 200", AlertState.Ok, recovery.EventId),
            snapshot.EarlyRecoveries.Single(r => r.Host == "web01"));

        // Rebuilt from the store, a decider resolves the incident the late problem opens, and lets that recovery go.
        var rebuilt = new IncidentDecider(new IncidentPolicy(), snapshot.Live, snapshot.LastIncidentId, 0, snapshot.Members, snapshot.Downtimes,
            snapshot.EarlyRecoveries);
        await store.Writes.CommitAsync(Plans.Decide(rebuilt,
            Records.Service(NotificationType.Problem, host: "web01", timeT: Records.T0) with { ServiceProblemId = "77" }), default);
        Assert.Equal(IncidentStatus.Resolved, (await store.Reads.GetAsync(1, default))!.Incident.Status);
        Assert.Equal(["db01"], (await store.Writes.LoadAsync(default)).EarlyRecoveries.Select(r => r.Host));
    }

    protected async Task RefusesAPlanCommittedTwiceWhole()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var first = Records.Service(NotificationType.Problem);
        var plan = Plans.Decide(decider, first);
        Assert.True((await store.Writes.CommitAsync(plan, default)).IsCommitted);

        var again = await store.Writes.CommitAsync(plan, default);
        Assert.False(again.IsCommitted);
        Assert.Equal([first.EventId], again.AlreadyApplied);
        Assert.Single((await store.Writes.LoadAsync(default)).Live);
        Assert.Equal([first.EventId], await store.Writes.FindAppliedAsync([first.EventId, Guid.NewGuid()], default));
    }

    protected async Task AllowsOneOpenIncidentPerIdentity()
    {
        await using var store = await CreateAsync();
        await store.Writes.CommitAsync(Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 0, 0), Records.Service(NotificationType.Problem)), default);

        // A second, independent decider (a split brain) opening the same identity is refused by the database itself.
        var other = new IncidentDecider(new IncidentPolicy(), [], 10, 0);
        var refusal = await Assert.ThrowsAnyAsync<DbException>(async () => await store.Writes.CommitAsync(Plans.Decide(other, Records.Service(NotificationType.Problem)), default));
        AssertConstraintRefusal(refusal);
        Assert.Single((await store.Writes.LoadAsync(default)).Live);
    }

    protected async Task RefusesAnIdTakenByAnotherIncident()
    {
        await using var store = await CreateAsync();
        await store.Writes.CommitAsync(Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 0, 0), Records.Service(NotificationType.Problem, host: "a01")), default);

        // Another instance that did not know INC-000001 exists gives the same id to another incident.
        var other = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var refusal = await Assert.ThrowsAnyAsync<Exception>(async () => await store.Writes.CommitAsync(Plans.Decide(other, Records.Service(NotificationType.Problem, host: "b01")), default));
        AssertIdTakenRefusal(refusal);
        Assert.Equal("a01", (await store.Reads.GetAsync(1, default))!.Incident.Host);

        // The same host under the id, but another Nagios instance's, or another service of it: also another incident.
        foreach (var differing in new[] { Records.Service(NotificationType.Problem, host: "a01", instance: "nagios-b"), Records.Service(NotificationType.Problem, host: "a01", service: "SSH") })
        {
            var again = await Assert.ThrowsAnyAsync<Exception>(async () =>
                await store.Writes.CommitAsync(Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 0, 0), differing), default));
            AssertIdTakenRefusal(again);
        }

        Assert.Single((await store.Writes.LoadAsync(default)).Live);
    }

    protected async Task RefusesAPlanWholeWhenALaterIdWasApplied()
    {
        await using var store = await CreateAsync();
        var applied = Records.Service(NotificationType.Problem, host: "a01");
        await store.Writes.CommitAsync(Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 0, 0), applied), default);

        // A decider that does not know the applied id decides a new notification first, then the applied one again.
        var fresh = Records.Service(NotificationType.Problem, host: "b01");
        var result = await store.Writes.CommitAsync(Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 10, 0), fresh, applied), default);

        // Nothing of the plan is written, not even the new id that came before the applied one: it must apply later.
        Assert.False(result.IsCommitted);
        Assert.Equal([applied.EventId], result.AlreadyApplied);
        Assert.Empty(await store.Writes.FindAppliedAsync([fresh.EventId], default));
        Assert.Equal(["a01"], (await store.Writes.LoadAsync(default)).Live.Select(i => i.Host));
    }

    /// <summary>The store refused an incident id another incident holds, saying so (not any other failure).</summary>
    protected abstract void AssertIdTakenRefusal(Exception refusal);

    /// <summary>The database refused the write by a constraint (not any other failure dressed as a refusal).</summary>
    protected abstract void AssertConstraintRefusal(DbException refusal);

    protected async Task PrunesOnlyOldVersion7EventIds()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var oldAppliedLongAgo = Records.Service(NotificationType.Problem, host: "a", id: Guid.CreateVersion7(DateTimeOffset.FromUnixTimeSeconds(Records.T0 - 86_400 * 10)));
        // A random (version 4) id carries no time: applied long ago beside a version 7 one, it still is never pruned.
        var random = Records.Service(NotificationType.Problem, host: "d", id: Guid.NewGuid());
        await store.Writes.CommitAsync(Plans.DecideAt(decider, DateTimeOffset.FromUnixTimeSeconds(Records.T0 - 86_400 * 9), oldAppliedLongAgo, random), default);

        // A week-old id applied just now (a replayed spool, a Nagios clock days behind): its retention counts from now.
        var oldAppliedNow = Records.Service(NotificationType.Problem, host: "b", id: Guid.CreateVersion7(DateTimeOffset.FromUnixTimeSeconds(Records.T0 - 86_400 * 10)));
        var recent = Records.Service(NotificationType.Problem, host: "c", id: Guid.CreateVersion7(DateTimeOffset.FromUnixTimeSeconds(Records.T0)));
        await store.Writes.CommitAsync(Plans.Decide(decider, oldAppliedNow, recent), default);

        Assert.Equal(1, await store.Writes.PruneAppliedEventsAsync(DateTimeOffset.FromUnixTimeSeconds(Records.T0 - 86_400 * 7), 1000, default));
        var ids = new[] { oldAppliedLongAgo.EventId, oldAppliedNow.EventId, recent.EventId, random.EventId };
        var kept = await store.Writes.FindAppliedAsync(ids, default);
        Assert.True(kept.SetEquals(ids[1..]), string.Join(", ", kept));
    }

    protected async Task ListsFilteredPagedAndWithHistory()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        await store.Writes.CommitAsync(Plans.Decide(decider,
            Records.Service(NotificationType.Problem, host: "web01", service: "HTTP", timeT: Records.T0),
            Records.Service(NotificationType.Problem, host: "web01", service: "Disk", timeT: Records.T0 + 1),
            Records.Service(NotificationType.Problem, host: "web02", service: "HTTP", customer: "globex", timeT: Records.T0 + 2)), default);

        var page = await store.Reads.ListAsync(new IncidentQuery { Customer = "acme", PageSize = 1, Page = 2 }, default);
        Assert.Equal(2, page.Total);
        Assert.Equal("HTTP", Assert.Single(page.Items).Service);
        Assert.Equal(1, (await store.Reads.ListAsync(new IncidentQuery { Host = "web02" }, default)).Total);
        Assert.Equal(3, (await store.Reads.ListAsync(new IncidentQuery { Statuses = [IncidentStatus.Open], Priorities = [Priority.P2] }, default)).Total);

        // Several values of one filter are "any of them"; none of them is "none of these".
        Assert.Equal(3, (await store.Reads.ListAsync(new IncidentQuery { Statuses = [IncidentStatus.Open, IncidentStatus.Acknowledged] }, default)).Total);
        Assert.Equal(0, (await store.Reads.ListAsync(new IncidentQuery { Statuses = [IncidentStatus.Resolved, IncidentStatus.Closed] }, default)).Total);
        Assert.Equal(3, (await store.Reads.ListAsync(new IncidentQuery { Priorities = [Priority.P1, Priority.P2] }, default)).Total);
        Assert.Equal(0, (await store.Reads.ListAsync(new IncidentQuery { Team = "no-such-team" }, default)).Total);
        Assert.Equal(0, (await store.Reads.ListAsync(new IncidentQuery { AssignedTo = "alice" }, default)).Total);
        var all = await store.Reads.ListAsync(new IncidentQuery(), default);
        Assert.Equal(3, (await store.Reads.ListAsync(new IncidentQuery { Tier = all.Items[0].Tier }, default)).Total);
        Assert.Equal([0, 0, 0], all.MemberCounts);

        // By due: the nearest response deadline first (all three opened a second apart with one target: oldest first).
        var byDue = await store.Reads.ListAsync(new IncidentQuery { Order = IncidentOrder.Due }, default);
        Assert.Equal([1L, 2L, 3L], byDue.Items.Select(i => i.Id));
        Assert.Equal([3L, 2L, 1L], all.Items.Select(i => i.Id));
        var disk = (await store.Reads.GetAsync(2, default))!.Incident;
        Assert.Equal(["HTTP"], (await store.Reads.HistoryAsync(disk, 20, default)).Select(i => i.Service));
    }

    protected async Task PagesEveryIncidentOnceInEitherOrder()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);

        // Three problems a second: page edges fall between incidents opened together, which only the id orders.
        var problems = Enumerable.Range(0, 23).Select(i => Records.Service(NotificationType.Problem, host: $"web{i:D2}", timeT: Records.T0 + (i / 3))).ToArray();
        await store.Writes.CommitAsync(Plans.Decide(decider, problems), default);
        await store.Writes.CommitAsync(Plans.DecideAt(decider, DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 200),
            Records.Service(NotificationType.Acknowledgement, host: "web05", timeT: Records.T0 + 150, author: "alice", comment: "on it")), default);

        var expected = new Dictionary<IncidentOrder, long[]>
        {
            [IncidentOrder.Newest] = [.. Enumerable.Range(1, 23).Reverse().Select(i => (long)i)],

            // Acknowledged, incident 6 is judged on its resolution deadline, the latest of all.
            [IncidentOrder.Due] = [.. Enumerable.Range(1, 23).Where(i => i != 6).Append(6).Select(i => (long)i)],
        };
        foreach (var (order, ids) in expected)
        {
            var walked = new List<long>();
            for (var page = 1; page <= 5; page++)
            {
                var part = await store.Reads.ListAsync(new IncidentQuery { Order = order, Page = page, PageSize = 5 }, default);
                Assert.Equal(23, part.Total);
                Assert.Equal(part.Items.Count, part.MemberCounts.Count);
                walked.AddRange(part.Items.Select(i => i.Id));
            }

            Assert.Equal(ids, walked);
            var filtered = await store.Reads.ListAsync(new IncidentQuery { Order = order, Statuses = [IncidentStatus.Open], Page = 2, PageSize = 10 }, default);
            Assert.Equal(ids.Where(id => id != 6).Skip(10).Take(10), filtered.Items.Select(i => i.Id));
        }
    }

    protected async Task RefusesAPlanDecidedOnAnIncidentAnotherInstanceChanged()
    {
        await using var store = await CreateAsync();
        await store.Writes.CommitAsync(Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 0, 0), Records.Service(NotificationType.Problem)), default);
        var snapshot = await store.Writes.LoadAsync(default);
        var (first, second) = (Rebuilt(snapshot), Rebuilt(snapshot));

        // Two instances decided on the same copy: the first to commit wins, the other is told which incident moved on.
        Assert.True((await store.Writes.CommitAsync(Plans.Decide(first,
            Records.Service(NotificationType.Recovery, state: AlertState.Ok, timeT: Records.T0 + 10)), default)).IsCommitted);
        var acknowledgement = Records.Service(NotificationType.Acknowledgement, timeT: Records.T0 + 11);
        var refused = await store.Writes.CommitAsync(Plans.Decide(second, acknowledgement), default);
        Assert.False(refused.IsCommitted);
        Assert.Equal([1L], refused.ChangedElsewhere);
        Assert.Empty(await store.Writes.FindAppliedAsync([acknowledgement.EventId], default));
        Assert.Equal(IncidentStatus.Resolved, (await store.Reads.GetAsync(1, default))!.Incident.Status);

        // The same decision by the clock on two instances (closing after the hold) is one decision, written once.
        var resolved = await store.Writes.LoadAsync(default);
        foreach (var decider in new[] { Rebuilt(resolved), Rebuilt(resolved) })
        {
            var plan = new CommitPlan();
            decider.ApplyTimers(DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100).AddHours(1), plan);
            plan.Seal();
            Assert.True((await store.Writes.CommitAsync(plan, default)).IsCommitted);
        }

        var closed = (await store.Reads.GetAsync(1, default))!;
        Assert.Equal(IncidentStatus.Closed, closed.Incident.Status);
        Assert.Single(closed.Timeline, e => e.Kind == TimelineKind.Closed);
        Assert.Single(closed.Events, e => e.Kind == IncidentEventKind.Closed);

        static IncidentDecider Rebuilt(StoreSnapshot s) => new(new IncidentPolicy(), s.Live, s.LastIncidentId, 0, s.Members);
    }

    protected async Task AddsTheAlertsEveryInstanceCountedOnOneIncident()
    {
        await using var store = await CreateAsync();
        await store.Writes.CommitAsync(Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 0, 0), Records.Service(NotificationType.Problem, host: "core01")), default);
        var snapshot = await store.Writes.LoadAsync(default);
        IncidentDecider Copy() => new(new IncidentPolicy(), snapshot.Live, snapshot.LastIncidentId, 0, snapshot.Members);

        // Two instances count repeats on the same incident (its alerts arrive on both), then one changes it.
        var (first, second) = (Copy(), Copy());
        Assert.True((await store.Writes.CommitAsync(Plans.Decide(first,
            Records.Service(NotificationType.Problem, host: "core01"), Records.Service(NotificationType.Problem, host: "core01")), default)).IsCommitted);
        Assert.True((await store.Writes.CommitAsync(Plans.Decide(second,
            Records.Service(NotificationType.Problem, host: "core01"), Records.Service(NotificationType.Problem, host: "core01"),
            Records.Service(NotificationType.Problem, host: "core01")), default)).IsCommitted);
        Assert.Equal(6, (await store.Reads.GetAsync(1, default))!.Incident.AlertCount);

        Assert.True((await store.Writes.CommitAsync(Plans.Decide(first,
            Records.Service(NotificationType.Problem, host: "core01", state: AlertState.Warning, timeT: Records.T0 + 5)), default)).IsCommitted);
        var changed = (await store.Reads.GetAsync(1, default))!.Incident;
        Assert.Equal((AlertState.Warning, 7L), (changed.State, changed.AlertCount));
    }

    private static readonly DateTimeOffset DeliveryNow = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>web01 opens, then acknowledges and recovers; db01 opens: four events, routed to the channels given.</summary>
    private static async Task<CommitPlan> CommitDeliveriesAsync(Store store, params string[] channels)
    {
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var plan = Plans.Decide(decider,
            Records.Service(NotificationType.Problem, host: "web01"),
            Records.Service(NotificationType.Acknowledgement, host: "web01", author: "alice", comment: "on it", timeT: Records.T0 + 1),
            Records.Service(NotificationType.Recovery, host: "web01", state: AlertState.Ok, output: "OK", timeT: Records.T0 + 2),
            Records.Service(NotificationType.Problem, host: "db01", timeT: Records.T0 + 3));
        plan.Route(_ => channels, DeliveryNow, TimeSpan.Zero);
        Assert.True((await store.Writes.CommitAsync(plan, default)).IsCommitted);
        return plan;
    }

    protected async Task AReopenedIncidentsMessageCarriesItsRunbookAndNotTheOpeningsOutput()
    {
        await using var store = await CreateAsync();
        var queue = (IDeliveryQueue)store.Writes;
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var plan = Plans.Decide(decider,
            Records.Service(NotificationType.Problem, host: "web01", output: "CRITICAL - first") with { ServiceNotesUrl = "https://wiki.example.com/runbooks/http" },
            Records.Service(NotificationType.Recovery, host: "web01", state: AlertState.Ok, output: "OK", timeT: Records.T0 + 1),
            Records.Service(NotificationType.Problem, host: "web01", output: "CRITICAL - again", timeT: Records.T0 + 60));
        plan.Route(_ => ["hook"], DeliveryNow, TimeSpan.Zero);
        Assert.True((await store.Writes.CommitAsync(plan, default)).IsCommitted);

        var messages = new List<PendingDelivery>();
        for (var at = DeliveryNow; messages.Count < 3; at = at.AddSeconds(1))
        {
            var claimed = Assert.Single(await queue.ClaimDueAsync("hook", at, at + Lease, 10, default));
            messages.Add(claimed);
            await queue.MarkSentAsync("hook", [claimed.Event.Id], at, default);
        }

        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Resolved, IncidentEventKind.Reopened], messages.Select(m => m.Event.Kind));
        Assert.Contains("Service runbook: https://wiki.example.com/runbooks/http\n", messages[0].Incident.Description, StringComparison.Ordinal);
        Assert.Contains("Output: CRITICAL - first\n", messages[0].Incident.Description, StringComparison.Ordinal);
        Assert.Equal("", messages[1].Incident.Description);
        Assert.Equal("Service runbook: https://wiki.example.com/runbooks/http\n", messages[2].Incident.Description);
    }

    protected async Task ACommittedPlansDeliveriesAreClaimedOldestFirstOnePerIncidentAtATime()
    {
        await using var store = await CreateAsync();
        var queue = (IDeliveryQueue)store.Writes;
        var plan = await CommitDeliveriesAsync(store, "hook");
        Assert.Equal(4, plan.Deliveries.Count);

        var first = await queue.ClaimDueAsync("hook", DeliveryNow, DeliveryNow + Lease, 10, default);

        // web01's first event and db01's: web01's later events wait until its first is sent.
        Assert.Equal([("INC-000001", IncidentEventKind.Opened), ("INC-000002", IncidentEventKind.Opened)],
            first.Select(d => (d.Event.Number, d.Event.Kind)));
        Assert.All(first, d => Assert.Equal(1, d.Attempts));
        var web = first[0];
        Assert.Equal(("web01", "HTTP", "helpdesk", "acme"), (web.Incident.Host, web.Incident.Service, web.Incident.Team, web.Incident.Customer));
        Assert.Equal(DeliveryNow, web.QueuedAt);

        // Claimed: not due again within the lease.
        Assert.Empty(await queue.ClaimDueAsync("hook", DeliveryNow.AddSeconds(1), DeliveryNow.AddSeconds(1) + Lease, 10, default));

        await queue.MarkSentAsync("hook", [web.Event.Id], DeliveryNow.AddSeconds(1), default);
        var next = await queue.ClaimDueAsync("hook", DeliveryNow.AddSeconds(1), DeliveryNow.AddSeconds(1) + Lease, 10, default);
        Assert.Equal([IncidentEventKind.Acknowledged], next.Select(d => d.Event.Kind));
    }

    protected async Task ALapsedLeaseMakesADeliveryDueAgainWithItsAttemptsCounted()
    {
        await using var store = await CreateAsync();
        var queue = (IDeliveryQueue)store.Writes;
        await CommitDeliveriesAsync(store, "hook");
        var claimed = await queue.ClaimDueAsync("hook", DeliveryNow, DeliveryNow + Lease, 10, default);
        Assert.Equal(DeliveryNow + Lease, await queue.NextDueAsync("hook", default));

        var again = await queue.ClaimDueAsync("hook", DeliveryNow + Lease, DeliveryNow + Lease + Lease, 10, default);

        Assert.Equal(claimed.Select(d => d.Event.Id), again.Select(d => d.Event.Id));
        Assert.All(again, d => Assert.Equal(2, d.Attempts));
    }

    protected async Task ARetryWaitsAndHoldsBackTheIncidentsLaterEventsAndADeadOneLetsThemGo()
    {
        await using var store = await CreateAsync();
        var queue = (IDeliveryQueue)store.Writes;
        await CommitDeliveriesAsync(store, "hook");
        var claimed = await queue.ClaimDueAsync("hook", DeliveryNow, DeliveryNow + Lease, 10, default);
        var web = claimed[0];
        await queue.MarkSentAsync("hook", [claimed[1].Event.Id], DeliveryNow, default);

        await queue.MarkRetryAsync("hook", [web.Event.Id], DeliveryNow.AddMinutes(5), "the webhook answered 503", default);
        Assert.Empty(await queue.ClaimDueAsync("hook", DeliveryNow.AddMinutes(1), DeliveryNow.AddMinutes(2), 10, default));
        Assert.Equal(DeliveryNow.AddMinutes(5), await queue.NextDueAsync("hook", default));

        await queue.MarkDeadAsync("hook", [web.Event.Id], DeliveryNow.AddMinutes(1), "the webhook answered 400", default);
        var next = await queue.ClaimDueAsync("hook", DeliveryNow.AddMinutes(1), DeliveryNow.AddMinutes(2), 10, default);
        Assert.Equal([IncidentEventKind.Acknowledged], next.Select(d => d.Event.Kind));
        Assert.Equal([new Ports.ChannelBacklog("hook", 2, 1)], await queue.BacklogAsync(default));
    }

    protected async Task DeadDeliveriesRequeuedByHandAreDueAtOnceWithFreshAttemptsOldestFirstAndOnlyOnce()
    {
        await using var store = await CreateAsync();
        var queue = (IDeliveryQueue)store.Writes;
        await CommitDeliveriesAsync(store, "hook", "mail");
        var hook = await queue.ClaimDueAsync("hook", DeliveryNow, DeliveryNow + Lease, 10, default);
        var mail = await queue.ClaimDueAsync("mail", DeliveryNow, DeliveryNow + Lease, 10, default);
        await queue.MarkDeadAsync("hook", [hook[0].Event.Id], DeliveryNow, "the webhook answered 400", default);
        await queue.MarkDeadAsync("hook", [hook[1].Event.Id], DeliveryNow, "the webhook answered 410", default);
        await queue.MarkDeadAsync("mail", [mail[0].Event.Id], DeliveryNow, "the relay refused the sender", default);

        // None named: the oldest first, up to the limit (web01's opening, queued with db01's, has the lower number).
        var later = DeliveryNow.AddHours(1);
        Assert.Equal(1, await queue.RequeueDeadAsync("hook", [], 1, later, "re-queued by alice", default));
        var pending = await queue.ListAsync("pending", "hook", 10, default);
        var requeued = Assert.Single(pending, d => d.EventId == hook[0].Event.Id);
        Assert.Equal((0, later, (DateTimeOffset?)null, "re-queued by alice; before: the webhook answered 400"),
            (requeued.Attempts, requeued.NextAt, requeued.DoneAt, requeued.LastError));

        // Due at once, ahead of its incident's later events again, with a whole new set of attempts.
        var again = await queue.ClaimDueAsync("hook", later, later + Lease, 10, default);
        Assert.Equal([(hook[0].Event.Id, 1)], again.Select(d => (d.Event.Id, d.Attempts)));

        // Named: that one only; the same call again (a retry after a timeout) finds nothing dead to re-queue.
        Assert.Equal(1, await queue.RequeueDeadAsync("hook", [hook[1].Event.Id, hook[1].Event.Id], 100, later, "re-queued by bob", default));
        Assert.Equal(0, await queue.RequeueDeadAsync("hook", [hook[1].Event.Id], 100, later, "re-queued by bob", default));
        Assert.Equal(0, await queue.RequeueDeadAsync("hook", [], 100, later, "re-queued by bob", default));

        // Another channel's dead delivery is its own.
        Assert.Equal([new Ports.ChannelBacklog("hook", 4, 0), new Ports.ChannelBacklog("mail", 3, 1)], await queue.BacklogAsync(default));
    }

    protected async Task OldSentAndGivenUpDeliveriesArePrunedAndWaitingOnesNever()
    {
        await using var store = await CreateAsync();
        var queue = (IDeliveryQueue)store.Writes;
        await CommitDeliveriesAsync(store, "hook");
        var claimed = await queue.ClaimDueAsync("hook", DeliveryNow, DeliveryNow + Lease, 10, default);
        await queue.MarkSentAsync("hook", [claimed[0].Event.Id], DeliveryNow, default);
        await queue.MarkDeadAsync("hook", [claimed[1].Event.Id], DeliveryNow.AddDays(2), "the webhook answered 400", default);

        // Only what was done before the cutoff goes: the sent one, not the one given up later.
        Assert.Equal(1, await queue.PruneDoneAsync(DeliveryNow.AddDays(1), 100, default));
        Assert.Empty(await queue.ListAsync("sent", "hook", 10, default));
        Assert.Single(await queue.ListAsync("dead", "hook", 10, default));

        Assert.Equal(1, await queue.PruneDoneAsync(DeliveryNow.AddDays(30), 100, default));
        Assert.Equal(0, await queue.PruneDoneAsync(DeliveryNow.AddYears(1), 100, default));
        Assert.Equal(2, (await queue.ListAsync("pending", "hook", 10, default)).Count);
        Assert.Equal([new Ports.ChannelBacklog("hook", 2, 0)], await queue.BacklogAsync(default));
    }

    protected async Task ChannelsAreQueuedApartAndAPlanWrittenTwiceQueuesNothingTwice()
    {
        await using var store = await CreateAsync();
        var queue = (IDeliveryQueue)store.Writes;
        var plan = await CommitDeliveriesAsync(store, "hook", "mail");
        await store.Writes.CommitAsync(plan, default);

        Assert.Equal([new Ports.ChannelBacklog("hook", 4, 0), new Ports.ChannelBacklog("mail", 4, 0)], await queue.BacklogAsync(default));
        var mail = await queue.ClaimDueAsync("mail", DeliveryNow, DeliveryNow + Lease, 10, default);
        Assert.Equal(2, mail.Count);
        Assert.Null(await queue.NextDueAsync("other", default));
    }

    protected async Task TheUpdatesAnIncidentGathersInTheFoldWindowGoOutAsOneDeliveryAndItsOtherEventsAlone()
    {
        await using var store = await CreateAsync();
        var queue = (IDeliveryQueue)store.Writes;
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        var window = TimeSpan.FromSeconds(30);
        var plan = Plans.Decide(decider,
        [
            Records.Host(NotificationType.Problem, host: "router01"),
            .. Enumerable.Range(1, 4).Select(k => Records.Service(NotificationType.Problem, host: "router01", service: $"svc{k}", timeT: Records.T0 + k)),
            Records.Host(NotificationType.Acknowledgement, host: "router01", timeT: Records.T0 + 5) with { Author = "alice", Comment = "on it" },
            Records.Service(NotificationType.Problem, host: "router01", service: "svc5", timeT: Records.T0 + 6),
        ]);
        plan.Route(_ => ["hook"], DeliveryNow, window);
        Assert.True((await store.Writes.CommitAsync(plan, default)).IsCommitted);

        var opened = Assert.Single(await queue.ClaimDueAsync("hook", DeliveryNow, DeliveryNow + Lease, 10, default));
        Assert.Equal(IncidentEventKind.Opened, opened.Event.Kind);
        await queue.MarkSentAsync("hook", opened.Ids, DeliveryNow, default);

        // The joined services wait out the window: nothing is due before it ends.
        Assert.Empty(await queue.ClaimDueAsync("hook", DeliveryNow.AddSeconds(29), DeliveryNow.AddSeconds(29) + Lease, 10, default));
        Assert.Equal(DeliveryNow + window, await queue.NextDueAsync("hook", default));

        var folded = Assert.Single(await queue.ClaimDueAsync("hook", DeliveryNow + window, DeliveryNow + window + Lease, 10, default));
        Assert.Equal(IncidentEventKind.Correlated, folded.Event.Kind);
        Assert.Contains("svc4", folded.Event.Text, StringComparison.Ordinal);
        Assert.Equal(3, folded.Folded.Count);
        Assert.Equal(4, folded.Ids.Count);
        await queue.MarkSentAsync("hook", folded.Ids, DeliveryNow + window, default);

        // Then the acknowledgement on its own, and the update after it waits for nothing else.
        var ack = Assert.Single(await queue.ClaimDueAsync("hook", DeliveryNow + window, DeliveryNow + window + Lease, 10, default));
        Assert.Equal(IncidentEventKind.Acknowledged, ack.Event.Kind);
        await queue.MarkSentAsync("hook", ack.Ids, DeliveryNow + window, default);
        var last = Assert.Single(await queue.ClaimDueAsync("hook", DeliveryNow + window, DeliveryNow + window + Lease, 10, default));
        Assert.Equal((IncidentEventKind.Correlated, 0), (last.Event.Kind, last.Folded.Count));
        await queue.MarkSentAsync("hook", last.Ids, DeliveryNow + window, default);
        Assert.Empty(await queue.BacklogAsync(default));
    }
}
