using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// Copies committed pages from the WAL back into the database file on a connection and thread of its own, shortly
/// after commits, so that commits seldom stop to do it. SQLite's automatic checkpoint runs inside the commit that takes
/// the WAL past its threshold and copies the whole WAL: in a storm with state changes that commit waited ~80 ms every
/// few seconds, which was the storm's p99. These checkpoints are passive: they copy what is committed without waiting
/// for the writer or the readers. The writer keeps its automatic checkpoint (at ~200 MB of WAL), which finds most of
/// the WAL copied already and only then starts the WAL again from its beginning (a passive checkpoint beside a busy
/// writer never finds the WAL all copied, so it cannot), and which is the backstop when this one cannot run or copy
/// (a full disk; a long read, such as a backup, keeps the pages committed after it began in the WAL until it ends).
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly Channel<bool> _due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly CancellationTokenSource _stopping = new();
    private readonly string _connectionString;
    private readonly TimeSpan _every;
    private readonly Task _loop;
    private int _runs;

    /// <param name="every">At most one checkpoint per this interval: each one syncs the database file.</param>
    public WalCheckpointer(string connectionString, TimeSpan every)
    {
        _connectionString = connectionString;
        _every = every;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints run so far (for tests).</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>A commit added pages to the WAL. Cheap, never waits: a checkpoint already due absorbs it.</summary>
    public void Committed() => _due.Writer.TryWrite(true);

    private async Task RunAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        try
        {
            // Waits without a timer between commits: an idle store does no work here.
            while (await _due.Reader.WaitToReadAsync(_stopping.Token))
            {
                _due.Reader.TryRead(out _);
                Checkpoint(connection);
                await Task.Delay(_every, _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Closing: what is left in the WAL is durable; the writer's checkpoint or the next start copies it.
        }
    }

    private void Checkpoint(SqliteConnection connection)
    {
        try
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                connection.Open();
            }

            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            command.ExecuteNonQuery();
            Interlocked.Increment(ref _runs);
        }
        catch (SqliteException)
        {
            // A full disk, or a checkpoint already running: the pages stay in the WAL, which is durable; the next
            // commit asks again, and the writer's own checkpoint is still the backstop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _due.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }
}
