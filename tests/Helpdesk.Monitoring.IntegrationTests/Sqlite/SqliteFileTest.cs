using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Sqlite;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Monitoring.IntegrationTests.Sqlite;

/// <summary>
/// For tests that look inside the embedded store's file: the file in a temporary directory, a decider to make commit
/// plans with, and plain SQL against the file (its own connection, unpooled, so nothing holds the file afterwards).
/// </summary>
public abstract class SqliteFileTest : IDisposable
{
    private readonly TempDirectory _dir = new();

    protected IncidentDecider Decider { get; } = new(new IncidentPolicy(), [], 0, 0);

    protected string DbPath => _dir.Combine("helpdesk.db");

    protected string PathOf(string name) => _dir.Combine(name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static async Task<SqliteIncidentStore> OpenAsync(SqliteStoreOptions options)
    {
        var store = new SqliteIncidentStore(options);
        await store.InitializeAsync(default);
        return store;
    }

    /// <summary>The first column of the first row.</summary>
    protected long Raw(string sql, string? path = null) => long.Parse(Rows(sql, path: path).First(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One column of every row, as text.</summary>
    protected List<string> Rows(string sql, int column = 0, string? path = null)
    {
        using var connection = new SqliteConnection($"Data Source={path ?? DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
