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
            where.Add("status = @status");
            parameters.Add(new SqlParameter("@status", SqlDbType.VarChar, 16) { Value = IncidentNames.Of(status) });
        }

        if (!string.IsNullOrEmpty(query.Customer))
        {
            // The indexed prefix narrows, the whole value decides.
            where.Add("customer_key = LEFT(@customer, 400) AND customer = @customer");
            parameters.Add(new SqlParameter("@customer", SqlDbType.NVarChar, -1) { Value = query.Customer });
        }

        if (!string.IsNullOrEmpty(query.Host))
        {
            where.Add("host = @host");
            parameters.Add(new SqlParameter("@host", SqlDbType.NVarChar, 255) { Value = query.Host });
        }

        if (query.Priority is { } priority)
        {
            where.Add("priority = @priority");
            parameters.Add(new SqlParameter("@priority", SqlDbType.VarChar, 2) { Value = priority.ToString() });
        }

        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        await using var connection = await OpenAsync(cancellationToken);
        await using var count = new SqlCommand($"SELECT COUNT_BIG(*) FROM dbo.incident{filter}", connection);
        count.Parameters.AddRange(parameters.Select(p => (SqlParameter)((ICloneable)p).Clone()).ToArray());
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        parameters.Add(new SqlParameter("@offset", SqlDbType.BigInt) { Value = (long)(query.Page - 1) * query.PageSize });
        parameters.Add(new SqlParameter("@limit", SqlDbType.Int) { Value = query.PageSize });
        var items = await ReadAllAsync(connection,
            $"SELECT {SqlServerRows.IncidentColumns} FROM dbo.incident{filter} ORDER BY opened_at DESC, id DESC OFFSET @offset ROWS FETCH NEXT @limit ROWS ONLY",
            SqlServerRows.ReadIncident, [.. parameters], cancellationToken);
        return new IncidentPage(items, query.Page, query.PageSize, total);
    }

    public async ValueTask<IncidentDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var incident = (await ReadAllAsync(connection, $"SELECT {SqlServerRows.IncidentColumns} FROM dbo.incident WHERE id = @id",
            SqlServerRows.ReadIncident, [Id(id)], cancellationToken)).SingleOrDefault();
        if (incident is null)
        {
            return null;
        }

        var timeline = await ReadAllAsync(connection, "SELECT incident_id, seq, at, kind, event_id, text FROM dbo.timeline WHERE incident_id = @id ORDER BY seq",
            SqlServerRows.ReadTimeline, [Id(id)], cancellationToken);
        var members = await ReadAllAsync(connection,
            $"SELECT {SqlServerRows.MemberColumns} FROM dbo.incident_member WHERE incident_id = @id ORDER BY joined_at, host, service",
            SqlServerRows.ReadMember, [Id(id)], cancellationToken);
        return new IncidentDetail(incident, timeline) { Members = members };
    }

    public async ValueTask<IReadOnlyList<IncidentRecord>> HistoryAsync(IncidentRecord incident, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAllAsync(connection,
            $"SELECT TOP (@limit) {SqlServerRows.IncidentColumns} FROM dbo.incident WHERE host = @host AND customer_key = LEFT(@customer, 400) "
            + "AND customer = @customer AND id < @id ORDER BY opened_at DESC, id DESC",
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
