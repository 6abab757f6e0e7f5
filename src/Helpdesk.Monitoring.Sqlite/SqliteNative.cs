using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// SQLite's calls that run a prepared statement, made with the statement's own pointer (<see cref="RawStatement"/>).
/// Through SQLitePCLRaw each call goes through an interface and takes and releases a reference on the statement's
/// safe handle; at the fifty or so values a state change binds, that went with ~3.5 % of the Kafka path's CPU
/// samples. The integer and null binds and the change count are a few instructions that never block and never call
/// back, so they also skip the runtime's transition out of managed code; text and blobs keep it (SQLite copies them
/// with its allocator).
/// </summary>
internal static unsafe partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    // SQLITE_TRANSIENT: SQLite copies the value before the call returns, so the caller's buffer may go at once.
    private static readonly IntPtr Transient = -1;

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    public static partial int BindNull(IntPtr statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_changes")]
    [SuppressGCTransition]
    public static partial int Changes(IntPtr db);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(IntPtr statement);

    /// <summary>Binds UTF-8 text; an empty span binds the empty string, not NULL.</summary>
    public static int BindText(IntPtr statement, int index, ReadOnlySpan<byte> utf8)
    {
        // A null pointer would bind NULL: an empty value points at a byte of its own, with length 0.
        fixed (byte* text = utf8.IsEmpty ? "\0"u8 : utf8)
        {
            return BindText(statement, index, text, utf8.Length, Transient);
        }
    }

    /// <summary>Binds a blob; an empty span binds a zero-length blob, not NULL.</summary>
    public static int BindBlob(IntPtr statement, int index, ReadOnlySpan<byte> blob)
    {
        fixed (byte* bytes = blob.IsEmpty ? "\0"u8 : blob)
        {
            return BindBlob(statement, index, bytes, blob.Length, Transient);
        }
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    private static partial int BindText(IntPtr statement, int index, byte* text, int length, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_blob")]
    private static partial int BindBlob(IntPtr statement, int index, byte* blob, int length, IntPtr destructor);
}
