using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.SqlServer;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Helpdesk.Monitoring.IntegrationTests.Stores;

/// <summary>
/// No SQL Server runs on the build machines, so the store's T-SQL is checked by SQL Server's own parser (ScriptDom,
/// for SQL Server 2022) on every run: a syntax error in a migration, the commit batch or a query cannot land unseen.
/// The contract suite still runs the statements against a real server when HELPDESK_TEST_SQLSERVER is set.
/// </summary>
public sealed class SqlServerStatementTests
{
    public static TheoryData<string> Names => new(SqlServerStatements.All().Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_statement_the_store_sends_parses_as_T_SQL(string name)
    {
        var sql = SqlServerStatements.All().Single(s => s.Name == name).Sql;
        using var reader = new StringReader(sql);
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);

        Assert.True(errors.Count == 0, $"{name}:\n{string.Join("\n", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"))}\n{sql}");
        Assert.NotEmpty(((TSqlScript)fragment).Batches);
    }

    private static readonly string[] FilledTypes = ["helpdesk_event", "helpdesk_event_id", "helpdesk_counter", "helpdesk_incident",
        "helpdesk_member", "helpdesk_timeline", "helpdesk_incident_event", "helpdesk_delivery", "helpdesk_downtime", "helpdesk_early_recovery"];

    public static TheoryData<string> TableTypes => new(FilledTypes);

    [Theory]
    [MemberData(nameof(TableTypes))]
    public void Every_table_type_the_store_fills_declares_the_columns_it_is_filled_with_in_their_order(string type)
    {
        // A table-valued parameter binds its columns by position, and no SQL Server runs here to refuse a mismatch:
        // the type (as the last migration that (re)creates it declares it) must have the columns SqlServerRows fills,
        // in the same order; the incident's are IncidentColumns'.
        var declared = DeclaredTypes().Last(t => t.Name.BaseIdentifier.Value == type).Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value);

        var filled = type switch
        {
            "helpdesk_event" => SqlServerRows.Events([]),
            "helpdesk_event_id" => SqlServerRows.EventIds([]),
            "helpdesk_counter" => SqlServerRows.Counters([]),
            "helpdesk_incident" => SqlServerRows.Incidents([]),
            "helpdesk_member" => SqlServerRows.Members([]),
            "helpdesk_timeline" => SqlServerRows.Timeline([]),
            "helpdesk_incident_event" => SqlServerRows.IncidentEvents([]),
            "helpdesk_delivery" => SqlServerRows.Deliveries([]),
            "helpdesk_downtime" => SqlServerRows.Downtimes([]),
            "helpdesk_early_recovery" => SqlServerRows.EarlyRecoveries(new CommitPlan()),
            _ => throw new ArgumentException("no rows are made for " + type, nameof(type)),
        };
        Assert.Equal(filled.Columns.Cast<System.Data.DataColumn>().Select(c => c.ColumnName), declared);
        if (type == "helpdesk_incident")
        {
            Assert.Equal(IncidentColumns.All.Select(c => c.Name), declared);
        }
    }

    [Fact]
    public void Every_table_type_of_the_schema_is_checked_against_its_rows()
    {
        var types = DeclaredTypes().Select(t => t.Name.BaseIdentifier.Value).Distinct();
        Assert.Equal(types.Order(), FilledTypes.Order());
    }

    /// <summary>Every CREATE TYPE of the migrations, oldest first (a type made again later comes again).</summary>
    private static IEnumerable<CreateTypeTableStatement> DeclaredTypes() =>
        SqlServerSchema.Migrations.SelectMany(SqlServerSchema.Statements)
            .Select(sql => new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out _))
            .SelectMany(f => ((TSqlScript)f).Batches.SelectMany(b => b.Statements))
            .OfType<CreateTypeTableStatement>();

    [Fact]
    public void The_container_stacks_database_script_parses_as_T_SQL_with_its_variable_set()
    {
        // sqlcmd replaces $(HELPDESK_DB_PASSWORD) before SQL Server sees the script; GO separates its batches.
        var path = Path.Combine(Fixtures.Programs.Root, "src", "Helpdesk.Monitoring.Service", "deploy", "mssql", "create-database.sql");
        var sql = File.ReadAllText(path).Replace("$(HELPDESK_DB_PASSWORD)", "Db-Passw0rd!", StringComparison.Ordinal);
        using var reader = new StringReader(sql);
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")));
        Assert.Equal(4, ((TSqlScript)fragment).Batches.Count);
    }

    [Fact]
    public void A_broken_statement_is_caught()
    {
        // The check itself can fail: a misspelt keyword is reported.
        using var reader = new StringReader("SELEC id FRM dbo.incident");
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Every_migration_and_query_is_among_the_statements_checked()
    {
        var names = SqlServerStatements.All().Select(s => s.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(SqlServerSchema.Latest, names.Where(n => n.StartsWith("migration ", StringComparison.Ordinal)).Select(n => n.Split(',')[0]).Distinct().Count());
    }
}
