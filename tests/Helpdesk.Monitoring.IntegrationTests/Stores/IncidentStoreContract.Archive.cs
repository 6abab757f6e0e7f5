using Helpdesk.Monitoring.Archive;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Stores;

public abstract partial class IncidentStoreContract
{
    private static readonly DateTimeOffset Later = DateTimeOffset.FromUnixTimeSeconds(Records.T0).AddDays(400);

    private static async Task<ArchivedIncident> ArchivedFormAsync(Store store, long id)
    {
        var detail = (await store.Reads.GetAsync(id, default))!;
        var i = detail.Incident;
        return new ArchivedIncident(i.Id, i.Instance, i.Host, i.Service, i.Customer, i.OpenedAt, i.ClosedAt!.Value, ArchiveDocument.Encode(detail));
    }

    protected async Task AClosedIncidentMovesToTheArchiveOnceAndIsStillReadByNumberCustomerHostAndHistory()
    {
        await using var store = await CreateAsync();
        var archive = (IIncidentArchive)store.Writes;
        var queue = (IDeliveryQueue)store.Writes;

        // web01/HTTP (INC-1) is merged into its host's incident (INC-2) and closed; db01/HTTP (INC-3) stays open.
        var plan = Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 0, 0),
            Records.Service(NotificationType.Problem, host: "web01"),
            Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 10),
            Records.Service(NotificationType.Problem, host: "db01", timeT: Records.T0 + 20));
        plan.Route(_ => ["hook"], DeliveryNow, TimeSpan.Zero);
        Assert.True((await store.Writes.CommitAsync(plan, default)).IsCommitted);
        var before = (await store.Reads.GetAsync(1, default))!;
        Assert.Equal(IncidentStatus.Closed, before.Incident.Status);

        // A delivery still waiting reads the incident's event: the incident stays live until it is sent.
        Assert.Empty(await archive.ClosedBeforeAsync(Later, 10, default));
        for (var round = 0; round < 10; round++)
        {
            var due = await queue.ClaimDueAsync("hook", DeliveryNow, DeliveryNow + Lease, 100, default);
            if (due.Count == 0)
            {
                break;
            }

            await queue.MarkSentAsync("hook", [.. due.Select(d => d.Event.Id)], DeliveryNow, default);
        }

        Assert.Equal([1L], await archive.ClosedBeforeAsync(Later, 10, default));
        Assert.Empty(await archive.ClosedBeforeAsync(before.Incident.ClosedAt!.Value, 10, default));

        var archived = await ArchivedFormAsync(store, 1);
        Assert.Equal(1, await archive.MoveToArchiveAsync([archived], default));
        // Twice (a crash before the caller knew, or another instance): nothing more happens.
        Assert.Equal(0, await archive.MoveToArchiveAsync([archived], default));
        // An incident that is not closed is never moved, whatever a caller passes.
        Assert.Equal(0, await archive.MoveToArchiveAsync([archived with { Id = 3 }], default));
        Assert.Equal(1, await archive.CountArchivedAsync(default));
        Assert.Empty(await archive.ClosedBeforeAsync(Later, 10, default));

        // By number: the same incident, timeline and members; the outbox events were not kept.
        var after = (await store.Reads.GetAsync(1, default))!;
        Assert.Equal(before.Incident, after.Incident);
        Assert.Equal(before.Timeline, after.Timeline);
        Assert.Equal(before.Members, after.Members);
        Assert.Empty(after.Events);
        Assert.Equal(3, (await store.Reads.GetAsync(3, default))!.Incident.Id);

        // The queue no longer holds it; the archive does, by customer or host, and the history continues into it.
        var live = await store.Reads.ListAsync(new IncidentQuery { Statuses = [IncidentStatus.Open, IncidentStatus.Closed] }, default);
        Assert.Equal([3L, 2L], live.Items.Select(i => i.Id));
        var byCustomer = await store.Reads.ListAsync(new IncidentQuery { Archived = true, Customer = "acme" }, default);
        Assert.Equal(1L, byCustomer.Total);
        Assert.Equal([1L], byCustomer.Items.Select(i => i.Id));
        var byHost = await store.Reads.ListAsync(new IncidentQuery { Archived = true, Host = "web01", Customer = "acme" }, default);
        Assert.Equal([before.Incident], byHost.Items);
        Assert.Empty((await store.Reads.ListAsync(new IncidentQuery { Archived = true, Host = "db01" }, default)).Items);
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.Reads.ListAsync(new IncidentQuery { Archived = true }, default));
        var history = await store.Reads.HistoryAsync(before.Incident with { Id = 100 }, 20, default);
        Assert.Equal([1L], history.Select(i => i.Id));

        // The incident numbers go on from the highest ever given.
        Assert.Equal(3, (await store.Writes.LoadAsync(default)).LastIncidentId);
    }

    protected async Task ArchivedIncidentsPageNewestFirst()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);

        // Seven incidents of one customer, opened two a second: page edges fall between incidents opened together.
        var notifications = Enumerable.Range(0, 7).SelectMany(i => new[]
        {
            Records.Service(NotificationType.Problem, host: $"web{i}", timeT: Records.T0 + (i / 2)),
            Records.Service(NotificationType.Recovery, host: $"web{i}", state: AlertState.Ok, timeT: Records.T0 + 10),
        }).ToArray();
        Assert.True((await store.Writes.CommitAsync(Plans.Decide(decider, notifications), default)).IsCommitted);
        var close = new CommitPlan();
        decider.ApplyTimers(DateTimeOffset.FromUnixTimeSeconds(Records.T0).AddHours(2), close);
        close.Seal();
        Assert.True((await store.Writes.CommitAsync(close, default)).IsCommitted);
        var forms = new List<ArchivedIncident>();
        for (long id = 1; id <= 7; id++)
        {
            forms.Add(await ArchivedFormAsync(store, id));
        }

        Assert.Equal(7, await ((IIncidentArchive)store.Writes).MoveToArchiveAsync(forms, default));
        var walked = new List<long>();
        for (var page = 1; page <= 3; page++)
        {
            var part = await store.Reads.ListAsync(new IncidentQuery { Archived = true, Customer = "acme", Page = page, PageSize = 3 }, default);
            Assert.Equal(7, part.Total);
            walked.AddRange(part.Items.Select(i => i.Id));
        }

        Assert.Equal([7L, 6L, 5L, 4L, 3L, 2L, 1L], walked);
    }

    protected async Task NumbersGoOnAfterTheHighestArchivedIncident()
    {
        await using var store = await CreateAsync();
        var decider = new IncidentDecider(new IncidentPolicy(), [], 0, 0);
        Assert.True((await store.Writes.CommitAsync(Plans.Decide(decider,
            Records.Service(NotificationType.Problem, host: "web01"),
            Records.Service(NotificationType.Recovery, host: "web01", state: AlertState.Ok, timeT: Records.T0 + 1)), default)).IsCommitted);
        var close = new CommitPlan();
        decider.ApplyTimers(DateTimeOffset.FromUnixTimeSeconds(Records.T0).AddHours(2), close);
        close.Seal();
        Assert.True((await store.Writes.CommitAsync(close, default)).IsCommitted);

        Assert.Equal(1, await ((IIncidentArchive)store.Writes).MoveToArchiveAsync([await ArchivedFormAsync(store, 1)], default));
        var snapshot = await store.Writes.LoadAsync(default);
        Assert.Equal((1L, 0), (snapshot.LastIncidentId, snapshot.Live.Count));
    }

    protected async Task ExpiredArchivedIncidentsAreListedOldestFirstAndDeletedOnce()
    {
        await using var store = await CreateAsync();
        var archive = (IIncidentArchive)store.Writes;
        Assert.True((await store.Writes.CommitAsync(Plans.Decide(new IncidentDecider(new IncidentPolicy(), [], 0, 0),
            Records.Service(NotificationType.Problem, host: "web01"),
            Records.Host(NotificationType.Problem, host: "web01", timeT: Records.T0 + 10)), default)).IsCommitted);
        var archived = await ArchivedFormAsync(store, 1);
        await archive.MoveToArchiveAsync([archived], default);

        Assert.Empty(await archive.ExpiredAsync(archived.ClosedAt, 10, default));
        var expired = await archive.ExpiredAsync(Later, 10, default);
        Assert.Equal([1L], expired.Select(e => e.Id));
        Assert.Equal(archived.Document, expired[0].Document);
        Assert.Equal((archived.Host, archived.Customer, archived.ClosedAt), (expired[0].Host, expired[0].Customer, expired[0].ClosedAt));

        Assert.Equal(1, await archive.DeleteArchivedAsync([1], default));
        Assert.Equal(0, await archive.DeleteArchivedAsync([1], default));
        Assert.Null(await store.Reads.GetAsync(1, default));
        Assert.Equal(0, await archive.CountArchivedAsync(default));
    }
}
