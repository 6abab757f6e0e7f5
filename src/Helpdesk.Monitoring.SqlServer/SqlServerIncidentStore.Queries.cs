using System.Data;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

public sealed partial class SqlServerIncidentStore
{
    public async ValueTask<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<SqlParameter>();
        if (query.Status is { } status)
        {
            where.Add(SqlServerStatements.StatusFilter);
            parameters.Add(new SqlParameter("@status", SqlDbType.VarChar, 16) { Value = IncidentNames.Of(status) });
        }

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

        if (query.Priority is { } priority)
        {
            where.Add(SqlServerStatements.PriorityFilter);
            parameters.Add(new SqlParameter("@priority", SqlDbType.VarChar, 2) { Value = priority.ToString() });
        }

        var filter = SqlServerStatements.Where(where);
        await using var connection = await OpenAsync(cancellationToken);
        await using var count = new SqlCommand(SqlServerStatements.CountIncidents(filter), connection);
        count.Parameters.AddRange(parameters.Select(p => (SqlParameter)((ICloneable)p).Clone()).ToArray());
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        parameters.Add(new SqlParameter("@offset", SqlDbType.BigInt) { Value = (long)(query.Page - 1) * query.PageSize });
        parameters.Add(new SqlParameter("@limit", SqlDbType.Int) { Value = query.PageSize });
        var items = await ReadAllAsync(connection,
            SqlServerStatements.PageIncidents(filter),
            SqlServerRows.ReadIncident, [.. parameters], cancellationToken);
        return new IncidentPage(items, query.Page, query.PageSize, total);
    }

    public async ValueTask<IncidentDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var incident = (await ReadAllAsync(connection, SqlServerStatements.GetIncident,
            SqlServerRows.ReadIncident, [Id(id)], cancellationToken)).SingleOrDefault();
        if (incident is null)
        {
            return null;
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
        return await ReadAllAsync(connection,
            SqlServerStatements.History,
            SqlServerRows.ReadIncident,
            [
                new SqlParameter("@limit", SqlDbType.Int) { Value = limit },
                new SqlParameter("@host", SqlDbType.NVarChar, 255) { Value = incident.Host },
                new SqlParameter("@customer", SqlDbType.NVarChar, -1) { Value = incident.Customer },
                Id(incident.Id),
            ],
            cancellationToken);
    }

    private static SqlParameter Id(long id) => new("@id", SqlDbType.BigInt) { Value = id };
}
