using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>What a backup or a restore found in the copy it made, checked before it says so.</summary>
public sealed record BackupSummary(string Path, long Bytes, int SchemaVersion, long Incidents, long OpenIncidents, long HighestIncident, TimeSpan Took);

/// <summary>
/// Copies of the embedded store, taken while the service runs and put back into an empty data directory.
/// <para>
/// A backup is one read transaction (<c>VACUUM INTO</c>): in WAL mode readers never block the writer, so ingest goes on
/// while the copy is made, and the copy holds exactly the commits made before that transaction began: every incident
/// committed before the backup started is in it, none half-written. The copy is compact (no free pages, no WAL) and is
/// checked (<c>PRAGMA integrity_check</c>) before the backup says it is done.
/// </para>
/// </summary>
public static class SqliteBackup
{
    static SqliteBackup() => SqliteEngine.Prepare();

    /// <summary>Backs up the store at <paramref name="database"/> into <paramref name="destination"/>, a file that must not exist.</summary>
    public static BackupSummary Backup(string database, string destination)
    {
        var clock = Stopwatch.StartNew();
        if (!File.Exists(database))
        {
            throw new BackupException($"There is no database at {database}: check Helpdesk:DataDirectory (or Helpdesk:Store:Sqlite:Path) in the service's configuration.");
        }

        if (File.Exists(destination) || Directory.Exists(destination))
        {
            throw new BackupException($"{destination} already exists: a backup never overwrites anything; name a new file.");
        }

        using (new FileStream(destination, OwnerOnly))
        {
        }

        try
        {
            using var source = Open(database, SqliteOpenMode.ReadWrite);
            using var vacuum = source.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $destination";
            vacuum.Parameters.AddWithValue("$destination", destination);
            vacuum.ExecuteNonQuery();
            return Summarize(destination, clock);
        }
        catch (Exception ex) when (ex is SqliteException or BackupException)
        {
            File.Delete(destination);
            throw ex is BackupException ? ex : new BackupException($"The backup of {database} failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Puts the backup <paramref name="backup"/> in place as the store at <paramref name="database"/>, which must not
    /// exist yet (restore into an empty data directory; the service starts from what the backup holds).
    /// </summary>
    /// <param name="adopt">Gives the new file to the service's user when root restores (the caller knows who that is).</param>
    public static BackupSummary Restore(string backup, string database, Action<FileStream>? adopt = null)
    {
        var clock = Stopwatch.StartNew();
        if (!File.Exists(backup))
        {
            throw new BackupException($"There is no backup at {backup}.");
        }

        foreach (var existing in new[] { database, database + "-wal", database + "-shm", database + "-journal" })
        {
            if (File.Exists(existing))
            {
                throw new BackupException($"{existing} exists: restore only into an empty data directory (stop the service, move the old data directory aside, then restore).");
            }
        }

        // The backup is checked first: a damaged one is refused before anything is written.
        var checkedBackup = Summarize(backup, clock);
        if (checkedBackup.SchemaVersion > SqliteSchema.Latest)
        {
            throw new BackupException($"{backup} has schema version {checkedBackup.SchemaVersion}, newer than this version knows ({SqliteSchema.Latest}): restore it with the version that made it, or a newer one.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(database))!;
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, "." + Path.GetFileName(database) + ".restoring");
        File.Delete(partial);
        using (var copy = new FileStream(partial, OwnerOnly))
        using (var from = new FileStream(backup, FileMode.Open, FileAccess.Read))
        {
            from.CopyTo(copy);
            copy.Flush(flushToDisk: true);
            adopt?.Invoke(copy);
        }

        // Renamed into place only once whole and on disk: a restore cut short leaves no database the service would start from.
        File.Move(partial, database);
        return Summarize(database, clock);
    }

    // Customer data: readable by the one who made it only, whatever the umask.
    private static readonly FileStreamOptions OwnerOnly = new()
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    };

    private static BackupSummary Summarize(string path, Stopwatch clock)
    {
        try
        {
            return Check(path, clock);
        }
        catch (SqliteException ex)
        {
            throw new BackupException($"{path} is not a helpdesk store SQLite can read ({ex.Message}).", ex);
        }
    }

    private static BackupSummary Check(string path, Stopwatch clock)
    {
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        var integrity = Text(connection, "PRAGMA integrity_check");
        if (integrity != "ok")
        {
            throw new BackupException($"{path} is damaged (SQLite's integrity check says: {integrity}).");
        }

        if (Long(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_version'") == 0)
        {
            throw new BackupException($"{path} is an SQLite database but not a helpdesk store (it has no schema version).");
        }

        return new BackupSummary(path, new FileInfo(path).Length,
            (int)Long(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version"),
            Long(connection, "SELECT COUNT(*) FROM incident"),
            Long(connection, "SELECT COUNT(*) FROM incident WHERE status IN ('open', 'acknowledged')"),
            Long(connection, "SELECT COALESCE(MAX(id), 0) FROM incident"),
            clock.Elapsed);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString());
        try
        {
            connection.Open();
            using var busy = connection.CreateCommand();
            busy.CommandText = "PRAGMA busy_timeout = 30000";
            busy.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new BackupException($"Cannot open {path}: {ex.Message} (run the command as the service's user, or as root).", ex);
        }
    }

    private static long Long(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Text(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }
}

/// <summary>A backup or restore that cannot be done, with a sentence that says why and what to do.</summary>
public sealed class BackupException : Exception
{
    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public BackupException()
    {
    }
}
