using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>Another writer holding a database's write lock: every commit of the service waits, then fails and retries.</summary>
public static class SqliteWriteLock
{
    public static SqliteConnection Hold(string database)
    {
        var blocker = new SqliteConnection($"Data Source={database};Pooling=false");
        blocker.Open();
        using var begin = blocker.CreateCommand();
        begin.CommandText = "PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE";
        begin.ExecuteNonQuery();
        return blocker;
    }
}
