using System.Data.Common;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Stores;

/// <summary>The store contract on SQLite files (always runs).</summary>
public sealed class SqliteStoreContractTests : IncidentStoreContract
{
    [Fact]
    public Task A_closed_incident_moves_to_the_archive_once_and_is_still_read_by_number_customer_host_and_history() =>
        AClosedIncidentMovesToTheArchiveOnceAndIsStillReadByNumberCustomerHostAndHistory();

    [Fact]
    public Task Numbers_go_on_after_the_highest_archived_incident() => NumbersGoOnAfterTheHighestArchivedIncident();

    [Fact]
    public Task Archived_incidents_page_newest_first() => ArchivedIncidentsPageNewestFirst();

    [Fact]
    public Task Expired_archived_incidents_are_listed_oldest_first_and_deleted_once() => ExpiredArchivedIncidentsAreListedOldestFirstAndDeletedOnce();

    [Fact]
    public Task A_reopened_incidents_message_carries_its_runbook_and_not_the_openings_output() => AReopenedIncidentsMessageCarriesItsRunbookAndNotTheOpeningsOutput();

    [Fact]
    public Task A_committed_plans_deliveries_are_claimed_oldest_first_one_per_incident_at_a_time() => ACommittedPlansDeliveriesAreClaimedOldestFirstOnePerIncidentAtATime();

    [Fact]
    public Task A_lapsed_lease_makes_a_delivery_due_again_with_its_attempts_counted() => ALapsedLeaseMakesADeliveryDueAgainWithItsAttemptsCounted();

    [Fact]
    public Task A_retry_waits_and_holds_back_the_incidents_later_events_and_a_dead_one_lets_them_go() => ARetryWaitsAndHoldsBackTheIncidentsLaterEventsAndADeadOneLetsThemGo();

    [Fact]
    public Task Old_sent_and_given_up_deliveries_are_pruned_and_waiting_ones_never() => OldSentAndGivenUpDeliveriesArePrunedAndWaitingOnesNever();

    [Fact]
    public Task Dead_deliveries_requeued_by_hand_are_due_at_once_with_fresh_attempts_oldest_first_and_only_once() => DeadDeliveriesRequeuedByHandAreDueAtOnceWithFreshAttemptsOldestFirstAndOnlyOnce();

    [Fact]
    public Task Channels_are_queued_apart_and_a_plan_written_twice_queues_nothing_twice() => ChannelsAreQueuedApartAndAPlanWrittenTwiceQueuesNothingTwice();

    [Fact]
    public Task The_updates_an_incident_gathers_in_the_fold_window_go_out_as_one_delivery_and_its_other_events_alone() => TheUpdatesAnIncidentGathersInTheFoldWindowGoOutAsOneDeliveryAndItsOtherEventsAlone();

    [Fact]
    public Task Commits_and_loads_incidents_members_and_clocks() => CommitsAndLoadsIncidentsMembersAndClocks();

    [Fact]
    public Task Keeps_scheduled_downtimes_from_start_to_end_and_a_decider_rebuilt_from_them_holds_problems_in_maintenance() =>
        KeepsScheduledDowntimesFromStartToEndAndADeciderRebuiltFromThemHoldsProblemsInMaintenance();

    [Fact]
    public Task Keeps_a_recovery_that_came_before_its_problem_until_that_problem_comes() => KeepsARecoveryThatCameBeforeItsProblemUntilThatProblemComes();

    [Fact]
    public Task Reads_back_every_field_as_decided() => ReadsBackEveryFieldAsDecided();

    [Fact]
    public Task Refuses_a_plan_committed_twice_whole() => RefusesAPlanCommittedTwiceWhole();

    [Fact]
    public Task Allows_one_open_incident_per_identity() => AllowsOneOpenIncidentPerIdentity();

    [Fact]
    public Task Refuses_an_id_taken_by_another_incident() => RefusesAnIdTakenByAnotherIncident();

    [Fact]
    public Task Takes_the_same_incident_under_its_id_as_stale_and_refuses_another_opened_later() => TakesTheSameIncidentUnderItsIdAsStaleAndRefusesAnotherOpenedLater();

    [Fact]
    public Task Prunes_only_old_version_7_event_ids() => PrunesOnlyOldVersion7EventIds();

    [Fact]
    public Task Lists_filtered_paged_and_with_history() => ListsFilteredPagedAndWithHistory();

    [Fact]
    public Task Pages_every_incident_once_in_either_order() => PagesEveryIncidentOnceInEitherOrder();

    [Fact]
    public Task Refuses_a_plan_decided_on_an_incident_another_instance_changed() => RefusesAPlanDecidedOnAnIncidentAnotherInstanceChanged();

    [Fact]
    public Task Adds_the_alerts_every_instance_counted_on_one_incident() => AddsTheAlertsEveryInstanceCountedOnOneIncident();

    [Fact]
    public Task Refuses_a_plan_whole_when_a_later_id_was_applied() => RefusesAPlanWholeWhenALaterIdWasApplied();

    protected override void AssertIdTakenRefusal(Exception refusal) =>
        Assert.Contains("is taken by another incident", Assert.IsType<InvalidOperationException>(refusal).Message, StringComparison.Ordinal);

    protected override void AssertConstraintRefusal(DbException refusal) =>
        Assert.Equal(19, Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(refusal).SqliteErrorCode); // SQLITE_CONSTRAINT

    protected override async Task<Store> CreateAsync()
    {
        var dir = new TempDirectory();
        var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = dir.Combine("contract.db") });
        await store.InitializeAsync(default);
        return new Store(store, store, new Owner(store, dir));
    }

    private sealed class Owner(SqliteIncidentStore store, TempDirectory dir) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await store.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Dispose();
        }
    }
}
