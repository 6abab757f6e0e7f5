using Helpdesk.Monitoring.Sqlite;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// The writer's statements bind values through SQLite's own calls with the statement's pointer: each value must
/// arrive exactly as Microsoft.Data.Sqlite would have written it, empty apart from NULL, long text whole.
/// </summary>
public sealed class RawStatementIntegrationTests : SqliteFileTest
{
    [Fact]
    public void Text_blobs_numbers_and_nulls_arrive_as_bound()
    {
        using var connection = WithTable("CREATE TABLE v (k INTEGER PRIMARY KEY, t, b, n)");

        // Past the stack buffer (1,024 bytes of UTF-8), in several-byte characters, so the rented path is taken too.
        var longText = string.Concat(Enumerable.Repeat("Überlast – 警告 ", 120));
        var rows = new (long Key, string? Text, byte[] Blob, long? Number)[]
        {
            (1, "", [], 0),
            (2, null, [0x00, 0xff], null),
            (3, "PING CRITICAL - Packet loss = 100%", [1, 2, 3], long.MinValue),
            (4, longText, new byte[5000], long.MaxValue),
        };

        using (var insert = new RawStatement(connection, "INSERT INTO v (k, t, b, n) VALUES (?1, ?2, ?3, ?4)"))
        {
            foreach (var (key, text, blob, number) in rows)
            {
                Assert.Equal(1, insert.Bind(1, key).Bind(2, text).Bind(3, blob).Bind(4, number).Execute());
            }
        }

        Assert.Equal(["text", "null", "text", "text"], Rows("SELECT typeof(t) FROM v ORDER BY k"));
        Assert.Equal(["blob", "blob", "blob", "blob"], Rows("SELECT typeof(b) FROM v ORDER BY k"));
        Assert.Equal(["integer", "null", "integer", "integer"], Rows("SELECT typeof(n) FROM v ORDER BY k"));
        Assert.Equal(["", "", "PING CRITICAL - Packet loss = 100%", longText], Rows("SELECT t FROM v ORDER BY k"));
        Assert.Equal(["0", "2", "3", "5000"], Rows("SELECT length(b) FROM v ORDER BY k"));
        Assert.Equal(["00FF"], Rows("SELECT hex(b) FROM v WHERE k = 2"));
        Assert.Equal(["0", "", long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Rows("SELECT n FROM v ORDER BY k"));
    }

    [Fact]
    public void A_failed_statement_says_what_SQLite_said_and_the_statement_runs_again()
    {
        using var connection = WithTable("CREATE TABLE u (k INTEGER PRIMARY KEY, t TEXT NOT NULL)");

        using var insert = new RawStatement(connection, "INSERT INTO u (k, t) VALUES (?1, ?2)");
        insert.Bind(1, 1).Bind(2, "first").Execute();
        var refused = Assert.Throws<SqliteException>(() => insert.Bind(1, 1).Bind(2, "again").Execute());
        Assert.Contains("UNIQUE constraint failed: u.k", refused.Message, StringComparison.Ordinal);

        // Reset after the failure: the same statement takes the next row.
        Assert.Equal(1, insert.Bind(1, 2).Bind(2, "second").Execute());
        Assert.Equal(["first", "second"], Rows("SELECT t FROM u ORDER BY k"));
    }

    /// <summary>A connection to the test's file, holding the one table <paramref name="create"/> makes.</summary>
    private SqliteConnection WithTable(string create)
    {
        var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = create;
        command.ExecuteNonQuery();
        return connection;
    }
}
