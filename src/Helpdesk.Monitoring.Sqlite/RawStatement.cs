using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>
/// A statement prepared once on the writer connection and bound by position through SQLite's own API. The hot
/// writes (one event row and one counter update per notification) run through this: Microsoft.Data.Sqlite's
/// per-execution work (parameter lookup by name, boxing) costs more than SQLite's insert itself. Binding and running
/// call SQLite with the statement's pointer (<see cref="SqliteNative"/>), which lives until <see cref="Dispose"/>;
/// the store disposes its statements only after the last commit, behind its writer gate.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    // Values up to this many UTF-8 bytes are encoded on the stack; longer ones (a long plugin output) in a rented buffer.
    private const int StackBytes = 1024;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _dbPointer;
    private readonly IntPtr _pointer;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _dbPointer = _db.DangerousGetHandle();
        _pointer = _statement.DangerousGetHandle();
    }

    public RawStatement Bind(int index, long value)
    {
        Check(SqliteNative.BindInt64(_pointer, index, value));
        return this;
    }

    public RawStatement Bind(int index, ReadOnlySpan<byte> blob)
    {
        Check(SqliteNative.BindBlob(_pointer, index, blob));
        return this;
    }

    // Not zeroed first: the encoder writes every byte that is bound.
    [SkipLocalsInit]
    public RawStatement Bind(int index, string? text)
    {
        if (text is null)
        {
            return BindNull(index);
        }

        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        try
        {
            Span<byte> buffer = most <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(most));
            var length = Encoding.UTF8.GetBytes(text, buffer);
            Check(SqliteNative.BindText(_pointer, index, buffer[..length]));
            return this;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public RawStatement Bind(int index, long? value) => value is { } v ? Bind(index, v) : BindNull(index);

    public RawStatement BindNull(int index)
    {
        Check(SqliteNative.BindNull(_pointer, index));
        return this;
    }

    /// <summary>Runs the statement to completion and returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var rc = SqliteNative.Step(_pointer);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }

            return SqliteNative.Changes(_dbPointer);
        }
        finally
        {
            // Its code repeats the step's failure, already thrown: the reset only readies the statement for the next row.
            _ = SqliteNative.Reset(_pointer);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
        }
    }
}
