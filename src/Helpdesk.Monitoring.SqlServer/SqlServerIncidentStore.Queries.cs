using System.Data;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

public sealed partial class SqlServerIncidentStore
{
    public async ValueTask<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken)
    {
        if (query.Archived)
        {
            await using var archive = await OpenAsync(cancellationToken);
            return await ListArchivedAsync(archive, query, cancellationToken);
        }

        var where = new List<string>();
        var parameters = new List<SqlParameter>();
        In("status", SqlDbType.VarChar, 16, query.Statuses.Select(IncidentNames.Of).ToList(), where, parameters);
        In("priority", SqlDbType.VarChar, 2, query.Priorities.Select(IncidentNames.Of).ToList(), where, parameters);
        if (!string.IsNullOrEmpty(query.Customer))
        {
            where.Add(SqlServerStatements.CustomerFilter);
            parameters.Add(new SqlParameter("@customer", SqlDbType.NVarChar, -1) { Value = query.Customer });
        }

        if (!string.IsNullOrEmpty(query.Host))
        {
            where.Add(SqlServerStatements.HostFilter);
            parameters.Add(new SqlParameter("@host", SqlDbType.NVarChar, 255) { Value = query.Host });
        }

        Equal("team", SqlDbType.NVarChar, -1, query.Team, where, parameters);
        Equal("tier", SqlDbType.VarChar, 8, query.Tier, where, parameters);
        Equal("assigned_to", SqlDbType.NVarChar, 255, query.AssignedTo, where, parameters);
        var filter = SqlServerStatements.Where(where);
        await using var connection = await OpenAsync(cancellationToken);
        await using var count = new SqlCommand(SqlServerStatements.CountIncidents(filter), connection);
        count.Parameters.AddRange(parameters.Select(p => (SqlParameter)((ICloneable)p).Clone()).ToArray());
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        parameters.Add(new SqlParameter("@offset", SqlDbType.BigInt) { Value = (long)(query.Page - 1) * query.PageSize });
        parameters.Add(new SqlParameter("@limit", SqlDbType.Int) { Value = query.PageSize });
        var rows = await ReadAllAsync(connection,
            SqlServerStatements.PageIncidents(filter, query.OrderBy),
            r => (Incident: SqlServerRows.ReadIncident(r), Members: r.GetInt32(IncidentColumns.All.Count)), [.. parameters], cancellationToken);
        return new IncidentPage([.. rows.Select(r => r.Incident)], query.Page, query.PageSize, total) { MemberCounts = [.. rows.Select(r => r.Members)] };
    }

    private static void In(string column, SqlDbType type, int size, IReadOnlyList<string> values, List<string> where, List<SqlParameter> parameters)
    {
        if (values.Count > 0)
        {
            where.Add(SqlServerStatements.InFilter(column, values.Count));
            parameters.AddRange(values.Select((v, i) => new SqlParameter($"@{column}{i}", type, size) { Value = v }));
        }
    }

    private static void Equal(string column, SqlDbType type, int size, string? value, List<string> where, List<SqlParameter> parameters)
    {
        if (!string.IsNullOrEmpty(value))
        {
            where.Add($"{column} = @{column}");
            parameters.Add(new SqlParameter("@" + column, type, size) { Value = value });
        }
    }

    public async ValueTask<IncidentDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var incident = (await ReadAllAsync(connection, SqlServerStatements.GetIncident,
            SqlServerRows.ReadIncident, [Id(id)], cancellationToken)).SingleOrDefault();
        if (incident is null)
        {
            return await ArchivedDetailAsync(connection, id, cancellationToken);
        }

        var timeline = await ReadAllAsync(connection, SqlServerStatements.GetTimeline,
            SqlServerRows.ReadTimeline, [Id(id)], cancellationToken);
        var members = await ReadAllAsync(connection,
            SqlServerStatements.GetMembers,
            SqlServerRows.ReadMember, [Id(id)], cancellationToken);
        var events = await ReadAllAsync(connection, SqlServerStatements.GetEvents, SqlServerRows.ReadIncidentEvent, [Id(id)], cancellationToken);
        return new IncidentDetail(incident, timeline) { Members = members, Events = events };
    }

    public async ValueTask<IReadOnlyList<IncidentRecord>> HistoryAsync(IncidentRecord incident, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        List<SqlParameter> Same() =>
        [
            new SqlParameter("@host", SqlDbType.NVarChar, 255) { Value = incident.Host },
            new SqlParameter("@customer", SqlDbType.NVarChar, -1) { Value = incident.Customer },
            Id(incident.Id),
        ];
        var history = await ReadAllAsync(connection, SqlServerStatements.History, SqlServerRows.ReadIncident,
            [new SqlParameter("@limit", SqlDbType.Int) { Value = limit }, .. Same()], cancellationToken);

        // The archive holds what is older than anything live: it continues the list where the live rows end.
        if (history.Count < limit)
        {
            var filter = SqlServerStatements.Where([SqlServerStatements.HostFilter, SqlServerStatements.ArchivedCustomerFilter, "id < @id"]);
            history.AddRange((await ArchivedPageAsync(connection, filter, Same(), limit - history.Count, 0, cancellationToken)).Select(d => d.Incident));
        }

        return history;
    }

    private static SqlParameter Id(long id) => new("@id", SqlDbType.BigInt) { Value = id };
}
