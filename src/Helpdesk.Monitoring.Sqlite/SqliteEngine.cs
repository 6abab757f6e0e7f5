using SQLitePCL;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// SQLite's process-wide settings, made once before this process opens its first connection (SQLite takes them only
/// before it starts). Every SQLite user here goes through <see cref="Prepare"/> first.
/// <list type="bullet">
/// <item>Multi-thread mode. The bundled library is built serialized: every call on a connection or a statement takes
/// the connection's lock, a dozen lock pairs for one bound and stepped row. Here a connection has one user at a time
/// by construction (the writer behind its gate and the pipeline's single thread, a reader for one request, the
/// checkpointer's own, a backup's own) and every command and reader is disposed by the code that made it, so the locks
/// never guard anything. Keep it so: a statement left to the garbage collector is finalized on the runtime's own
/// thread, which could then race its connection's user. SQLite's process-wide structures (its page cache groups, its
/// allocator) keep their locks.</item>
/// <item>No memory statistics: nothing here reads them, and keeping them takes a process-wide lock around every
/// allocation SQLite makes, which the writer and the readers then contend for.</item>
/// </list>
/// Together they were ~6 % of the service's CPU samples when every notification is a state change
/// (bench/results/kafka-load.md). If something in the process started SQLite first, the settings do not take and
/// SQLite runs as built: correct, a little slower.
/// </summary>
internal static class SqliteEngine
{
    static SqliteEngine()
    {
        Batteries_V2.Init();
        var multiThread = raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK;
        var noStatistics = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
        Tuned = multiThread && noStatistics;
    }

    /// <summary>Whether both settings took (for tests: they hold only if nothing started SQLite before).</summary>
    public static bool Tuned { get; }

    /// <summary>Loads SQLite and makes the settings, once per process; later calls do nothing.</summary>
    public static void Prepare()
    {
        // The work is in the static constructor, which the runtime runs exactly once, before the first use.
    }
}
