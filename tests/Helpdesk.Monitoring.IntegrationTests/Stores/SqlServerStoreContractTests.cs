using System.Data.Common;
using Helpdesk.Monitoring.SqlServer;
using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.IntegrationTests.Stores;

/// <summary>
/// The store contract on SQL Server. SQL Server cannot run on our build machines: these tests run when
/// HELPDESK_TEST_SQLSERVER holds a connection string (to a server where the login may create databases; each test
/// creates and drops its own), and otherwise report themselves skipped — never passed.
/// </summary>
public sealed class SqlServerStoreContractTests : IncidentStoreContract
{
    [SqlServerFact]
    public Task A_closed_incident_moves_to_the_archive_once_and_is_still_read_by_number_customer_host_and_history() =>
        AClosedIncidentMovesToTheArchiveOnceAndIsStillReadByNumberCustomerHostAndHistory();

    [SqlServerFact]
    public Task Numbers_go_on_after_the_highest_archived_incident() => NumbersGoOnAfterTheHighestArchivedIncident();

    [SqlServerFact]
    public Task Archived_incidents_page_newest_first() => ArchivedIncidentsPageNewestFirst();

    [SqlServerFact]
    public Task Expired_archived_incidents_are_listed_oldest_first_and_deleted_once() => ExpiredArchivedIncidentsAreListedOldestFirstAndDeletedOnce();

    [SqlServerFact]
    public Task A_reopened_incidents_message_carries_its_runbook_and_not_the_openings_output() => AReopenedIncidentsMessageCarriesItsRunbookAndNotTheOpeningsOutput();

    [SqlServerFact]
    public Task A_committed_plans_deliveries_are_claimed_oldest_first_one_per_incident_at_a_time() => ACommittedPlansDeliveriesAreClaimedOldestFirstOnePerIncidentAtATime();

    [SqlServerFact]
    public Task A_lapsed_lease_makes_a_delivery_due_again_with_its_attempts_counted() => ALapsedLeaseMakesADeliveryDueAgainWithItsAttemptsCounted();

    [SqlServerFact]
    public Task A_retry_waits_and_holds_back_the_incidents_later_events_and_a_dead_one_lets_them_go() => ARetryWaitsAndHoldsBackTheIncidentsLaterEventsAndADeadOneLetsThemGo();

    [SqlServerFact]
    public Task Old_sent_and_given_up_deliveries_are_pruned_and_waiting_ones_never() => OldSentAndGivenUpDeliveriesArePrunedAndWaitingOnesNever();

    [SqlServerFact]
    public Task Dead_deliveries_requeued_by_hand_are_due_at_once_with_fresh_attempts_oldest_first_and_only_once() => DeadDeliveriesRequeuedByHandAreDueAtOnceWithFreshAttemptsOldestFirstAndOnlyOnce();

    [SqlServerFact]
    public Task Channels_are_queued_apart_and_a_plan_written_twice_queues_nothing_twice() => ChannelsAreQueuedApartAndAPlanWrittenTwiceQueuesNothingTwice();

    [SqlServerFact]
    public Task The_updates_an_incident_gathers_in_the_fold_window_go_out_as_one_delivery_and_its_other_events_alone() => TheUpdatesAnIncidentGathersInTheFoldWindowGoOutAsOneDeliveryAndItsOtherEventsAlone();

    [SqlServerFact]
    public Task Commits_and_loads_incidents_members_and_clocks() => CommitsAndLoadsIncidentsMembersAndClocks();

    [SqlServerFact]
    public Task Keeps_scheduled_downtimes_from_start_to_end_and_a_decider_rebuilt_from_them_holds_problems_in_maintenance() =>
        KeepsScheduledDowntimesFromStartToEndAndADeciderRebuiltFromThemHoldsProblemsInMaintenance();

    [SqlServerFact]
    public Task Keeps_a_recovery_that_came_before_its_problem_until_that_problem_comes() => KeepsARecoveryThatCameBeforeItsProblemUntilThatProblemComes();

    [SqlServerFact]
    public Task Reads_back_every_field_as_decided() => ReadsBackEveryFieldAsDecided();

    [SqlServerFact]
    public Task Refuses_a_plan_committed_twice_whole() => RefusesAPlanCommittedTwiceWhole();

    [SqlServerFact]
    public Task Allows_one_open_incident_per_identity() => AllowsOneOpenIncidentPerIdentity();

    [SqlServerFact]
    public Task Refuses_an_id_taken_by_another_incident() => RefusesAnIdTakenByAnotherIncident();

    [SqlServerFact]
    public Task Takes_the_same_incident_under_its_id_as_stale_and_refuses_another_opened_later() => TakesTheSameIncidentUnderItsIdAsStaleAndRefusesAnotherOpenedLater();

    [SqlServerFact]
    public Task Prunes_only_old_version_7_event_ids() => PrunesOnlyOldVersion7EventIds();

    [SqlServerFact]
    public Task Lists_filtered_paged_and_with_history() => ListsFilteredPagedAndWithHistory();

    [SqlServerFact]
    public Task Pages_every_incident_once_in_either_order() => PagesEveryIncidentOnceInEitherOrder();

    [SqlServerFact]
    public Task Refuses_a_plan_decided_on_an_incident_another_instance_changed() => RefusesAPlanDecidedOnAnIncidentAnotherInstanceChanged();

    [SqlServerFact]
    public Task Adds_the_alerts_every_instance_counted_on_one_incident() => AddsTheAlertsEveryInstanceCountedOnOneIncident();

    [SqlServerFact]
    public Task Refuses_a_plan_whole_when_a_later_id_was_applied() => RefusesAPlanWholeWhenALaterIdWasApplied();

    // 51000: the commit batch's own THROW for an id taken by another incident.
    protected override void AssertIdTakenRefusal(Exception refusal) =>
        Assert.Equal(51000, Assert.IsType<SqlException>(refusal).Number);

    // 2627: a unique constraint, 2601: a unique index.
    protected override void AssertConstraintRefusal(DbException refusal) =>
        Assert.Contains(Assert.IsType<SqlException>(refusal).Number, new[] { 2627, 2601 });

    [Fact]
    public void Connections_that_are_not_encrypted_and_verified_are_refused()
    {
        Assert.Contains("must set Encrypt=True (or Strict) and TrustServerCertificate=False", new SqlServerStoreOptions { ConnectionString = "Server=db;Database=h;Encrypt=False" }.Validate(), StringComparison.Ordinal);
        Assert.Contains("must set Encrypt=True (or Strict) and TrustServerCertificate=False", new SqlServerStoreOptions { ConnectionString = "Server=db;Database=h;Encrypt=True;TrustServerCertificate=True" }.Validate(), StringComparison.Ordinal);
        Assert.Null(new SqlServerStoreOptions { ConnectionString = "Server=db;Database=h;Encrypt=True;TrustServerCertificate=False" }.Validate());
        Assert.Null(new SqlServerStoreOptions { ConnectionString = "Server=db;Database=h;Encrypt=Strict" }.Validate());
        var refused = new SqlServerStoreOptions { ConnectionString = "Server=db;Password=hunter2;Encrypt=False" }.Validate();
        Assert.DoesNotContain("hunter2", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_refuses_an_unverified_connection_without_printing_it()
    {
        using var dir = new Fixtures.TempDirectory();
        await using var service = await Fixtures.ServiceProcess.StartAsync(dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Store__Provider"] = "sqlserver",
            ["Helpdesk__Store__SqlServer__ConnectionString"] = "Server=db.example;Database=helpdesk;User Id=helpdesk;Password=s3cr3t-Pa55;Encrypt=False",
        }, waitReady: false);
        Assert.NotEqual(0, await service.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("must set Encrypt=True (or Strict) and TrustServerCertificate=False", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-Pa55", service.Output, StringComparison.Ordinal);
    }

    protected override async Task<Store> CreateAsync()
    {
        var server = new SqlConnectionStringBuilder(SqlServerFactAttribute.ConnectionString);
        var name = "helpdesk_test_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE [{name}]");
        var database = new SqlConnectionStringBuilder(server.ConnectionString) { InitialCatalog = name }.ConnectionString;
        var store = new SqlServerIncidentStore(new SqlServerStoreOptions { ConnectionString = database });
        await store.InitializeAsync(default);
        return new Store(store, store, new Owner(server.ConnectionString, name));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Owner(string server, string database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            SqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database}]");
        }
    }
}

/// <summary>A fact that needs a SQL Server: skipped, with the reason, unless HELPDESK_TEST_SQLSERVER is set.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public static string ConnectionString => Environment.GetEnvironmentVariable("HELPDESK_TEST_SQLSERVER") ?? "";

    public SqlServerFactAttribute()
    {
        if (ConnectionString.Length == 0)
        {
            Skip = "needs SQL Server, which cannot run on this machine: set HELPDESK_TEST_SQLSERVER to a connection string (Encrypt=True, TrustServerCertificate=False)";
        }
    }
}
