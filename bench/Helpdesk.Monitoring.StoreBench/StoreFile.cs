using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.StoreBench;

/// <summary>What a SQLite store file holds: bytes per table (with its indexes) from SQLite's dbstat, and row counts.</summary>
internal static class StoreFile
{
    public static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Bytes each group of tables (with their indexes) takes: on a compacted copy, each group is dropped in turn and
    /// the file compacted again; what it shrank by is the group's share. (This SQLite is built without dbstat.)
    /// </summary>
    /// <summary>The key of the compacted file's whole size in <see cref="BytesByTable"/>.</summary>
    public const string Total = "";

    public static Dictionary<string, long> BytesByTable(string path, params string[][] groups)
    {
        var copy = path + ".measure";
        Delete(copy);
        using (var connection = Open(path))
        {
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            Execute(connection, $"VACUUM INTO '{copy}'");
        }

        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            using var connection = Open(copy);
            Execute(connection, "DROP VIEW IF EXISTS incident_row");
            Execute(connection, "DROP VIEW IF EXISTS timeline");
            var size = FileSize(connection);
            bytes[Total] = size;
            foreach (var group in groups)
            {
                foreach (var table in group)
                {
                    Execute(connection, $"DROP TABLE IF EXISTS {table}");
                }

                Execute(connection, "VACUUM");
                var after = FileSize(connection);
                bytes[group[0]] = size - after;
                size = after;
            }
        }
        finally
        {
            Delete(copy);
        }

        return bytes;
    }

    private static long FileSize(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static long Count(string path, string table)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }
}
