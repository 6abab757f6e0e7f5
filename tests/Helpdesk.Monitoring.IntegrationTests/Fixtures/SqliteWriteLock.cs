using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>Another writer holding a database's write lock: every commit of the service waits, then fails and retries.</summary>
public static class SqliteWriteLock
{
    public static SqliteConnection Hold(string database) => Hold(database, "BEGIN EXCLUSIVE");

    /// <summary>
    /// Another process holding the whole database, reads included (exclusive locking mode): the service cannot even
    /// rebuild its state from it, as when a backup tool or a stuck process holds the file.
    /// </summary>
    public static SqliteConnection HoldReadsToo(string database) =>
        Hold(database, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS test_lock (x); INSERT INTO test_lock VALUES (1)");

    private static SqliteConnection Hold(string database, string statements)
    {
        var blocker = new SqliteConnection($"Data Source={database};Pooling=false");
        blocker.Open();
        using var begin = blocker.CreateCommand();
        begin.CommandText = "PRAGMA busy_timeout = 5000; " + statements;
        begin.ExecuteNonQuery();
        return blocker;
    }
}
