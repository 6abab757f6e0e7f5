using System.Globalization;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// The embedded incident store. One long-lived connection writes (the pipeline is the only writer, one batch at a
/// time); readers open pooled connections, which WAL lets run beside the writer.
/// </summary>
public sealed partial class SqliteIncidentStore : IIncidentStore, IIncidentQueries, IAsyncDisposable
{
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteCommitStatements? _statements;
    private WalCheckpointer? _checkpointer;

    static SqliteIncidentStore() => SqliteEngine.Prepare();

    public SqliteIncidentStore(SqliteStoreOptions options)
    {
        _options = options;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_options.Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _writer ??= OpenWriter();
        SqliteSchema.Migrate(_writer);

        // Counts a crash left unfolded: readers would see them anyway, but the table starts each run empty.
        FoldAll();
        _checkpointer ??= new WalCheckpointer(_connectionString, _options.CheckpointEvery);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<StoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            var connection = Writer;
            var live = ReadAll(connection, $"SELECT {IncidentColumns.List} FROM incident_row WHERE status <> 'closed' ORDER BY id", SqliteRows.Incident);
            var members = ReadAll(connection,
                $"SELECT {SqliteRows.MemberList} FROM incident_member WHERE incident_id IN (SELECT id FROM incident WHERE status <> 'closed')",
                SqliteRows.Member);

            // Numbers are never given twice: the highest may be archived already.
            var lastId = Scalar(connection, "SELECT MAX((SELECT COALESCE(MAX(id), 0) FROM incident), (SELECT COALESCE(MAX(id), 0) FROM archived_incident))");
            var maxEventMs = Scalar(connection, "SELECT COALESCE(MAX(event_ms), 0) FROM applied_event");
            var downtimes = ReadAll(connection, "SELECT instance, host, service, since FROM scheduled_downtime", SqliteRows.Downtime);
            var recoveries = ReadAll(connection,
                "SELECT instance, host, service, reported_at, problem_id, output, state, event_id FROM early_recovery", SqliteRows.EarlyRecovery);
            return new StoreSnapshot(live, lastId, maxEventMs) { Members = members, Downtimes = downtimes, EarlyRecoveries = recoveries };
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public async ValueTask<IReadOnlySet<Guid>> FindAppliedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        return Applied(connection, eventIds);
    }

    private static HashSet<Guid> Applied(SqliteConnection connection, IReadOnlyCollection<Guid> eventIds)
    {
        var found = new HashSet<Guid>();

        // SQLite allows 32766 parameters; chunks of 500 keep statements small and cacheable.
        foreach (var chunk in eventIds.Chunk(500))
        {
            using var command = connection.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "@p" + i.ToString(CultureInfo.InvariantCulture);
                command.Parameters.AddWithValue(names[i], ColumnText.Bytes(chunk[i]));
            }

            command.CommandText = $"SELECT event_id FROM applied_event WHERE event_id IN ({string.Join(',', names)})";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found.Add(ColumnText.Guid((byte[])reader[0]));
            }
        }

        return found;
    }

    public async ValueTask<int> PruneAppliedEventsAsync(DateTimeOffset createdBefore, int maxRows, CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            // Big-endian UUIDv7 ids sort by creation time, so the old ones are a range of the primary key that starts at
            // the beginning: the 48-bit millisecond prefix bounds it. Other versions (no event_ms) are kept. An old id
            // applied recently (a replayed spool, a Nagios with a wrong clock) stays until it too was applied before the
            // cutoff: retention counts from when an id was applied, so its redelivery is a no-op for the whole window.
            var cutoff = createdBefore.ToUnixTimeMilliseconds();
            var prefix = new byte[6];
            for (var i = 0; i < 6; i++)
            {
                prefix[i] = (byte)(cutoff >> (8 * (5 - i)));
            }

            using var command = Writer.CreateCommand();
            command.CommandText = "DELETE FROM applied_event WHERE event_id IN (SELECT event_id FROM applied_event "
                + "WHERE event_id < @prefix AND event_ms IS NOT NULL AND event_ms < @cutoff AND applied_at < @cutoff LIMIT @max)";
            command.Parameters.AddWithValue("@prefix", prefix);
            command.Parameters.AddWithValue("@cutoff", cutoff);
            command.Parameters.AddWithValue("@max", maxRows);
            return command.ExecuteNonQuery();
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_idleFold is not null)
        {
            await _idleFold.DisposeAsync();
        }

        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync();
        }

        // A fold the timer started finishes before the writer closes; what is still pending is folded at the next start.
        await _writerGate.WaitAsync();
        _statements?.Dispose();
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }

        _writerGate.Dispose();
    }

    /// <summary>Checkpoints run beside the commits so far (for tests).</summary>
    internal int BackgroundCheckpoints => _checkpointer?.Runs ?? 0;

    private SqliteConnection Writer => _writer ?? throw new InvalidOperationException("the store is not initialized");

    private SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Pragma(connection, "PRAGMA journal_mode = WAL");
        Pragma(connection, $"PRAGMA synchronous = {_options.Synchronous}");
        Pragma(connection, "PRAGMA busy_timeout = 30000");
        // 16 MiB of page cache holds the counter table and the B-tree tops. The WAL is copied back beside the commits
        // (WalCheckpointer); the writer's own checkpoint finds most of it copied, but still copies and syncs what came
        // since the last one inside the commit that passes its threshold (50-60 ms under a storm), and only it starts
        // the WAL again from its beginning. Measured side by side (bench/results/side-by-side.md, 2026-12-01): at
        // ~80 MB that commit came once a second of a storm and set its p99 (56-58 ms); at ~200 MB, 21-34 ms; at
        // ~400 MB, 18-24 ms, but one notification per request lost 8 % of its rate and Kafka's large batches of
        // changes as much as a quarter in most pairs (not profiled; likely page lookups in a longer WAL), where
        // ~200 MB cost neither clearly.
        Pragma(connection, "PRAGMA cache_size = -16384");
        Pragma(connection, "PRAGMA wal_autocheckpoint = 50000");
        return connection;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        Pragma(connection, "PRAGMA busy_timeout = 30000");
        return connection;
    }

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<T> ReadAll<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
