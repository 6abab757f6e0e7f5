using Helpdesk.Monitoring.SqlServer;

namespace Helpdesk.Monitoring.IntegrationTests.Stores;

/// <summary>
/// Which SQL Server errors make the committer wait for the database (full, read-only) rather than decide the batch
/// again; no server runs here, so the errors are told by their numbers alone.
/// </summary>
public sealed class SqlServerOutageTests
{
    [Theory]
    [InlineData(9002, "the database's transaction log is full")]
    [InlineData(1105, "the database's filegroup is full")]
    [InlineData(3906, "the database is read-only")]
    [InlineData(2627, null)] // a unique key refused the plan: deciding again from the store's state is the answer
    [InlineData(1205, null)] // chosen as a deadlock's victim: the plan may be fine, and a new decision is too
    public void A_full_or_read_only_database_is_an_outage_and_a_refused_plan_is_not(int number, string? why) =>
        Assert.Equal(why, SqlServerIncidentStore.Unavailable(number));
}
