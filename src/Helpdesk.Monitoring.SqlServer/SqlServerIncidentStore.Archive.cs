using System.Data;
using Helpdesk.Monitoring.Archive;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

public sealed partial class SqlServerIncidentStore : IIncidentArchive
{
    public async ValueTask<IReadOnlyList<long>> ClosedBeforeAsync(DateTimeOffset closedBefore, int max, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAllAsync(connection, SqlServerStatements.ClosedBefore, r => r.GetInt64(0),
            [Max(max), Cutoff(closedBefore)], cancellationToken);
    }

    public async ValueTask<int> MoveToArchiveAsync(IReadOnlyList<ArchivedIncident> incidents, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var moved = 0;
        foreach (var incident in incidents)
        {
            await using var command = new SqlCommand(SqlServerStatements.MoveToArchive, connection, transaction);
            command.Parameters.Add(Id(incident.Id));
            command.Parameters.Add("@instance", SqlDbType.NVarChar, 255).Value = incident.Instance;
            command.Parameters.Add("@host", SqlDbType.NVarChar, 255).Value = incident.Host;
            command.Parameters.Add("@service", SqlDbType.NVarChar, 255).Value = incident.Service;
            command.Parameters.Add("@customer", SqlDbType.NVarChar, -1).Value = incident.Customer;
            command.Parameters.Add("@opened", SqlDbType.BigInt).Value = incident.OpenedAt.ToUnixTimeMilliseconds();
            command.Parameters.Add("@closed", SqlDbType.BigInt).Value = incident.ClosedAt.ToUnixTimeMilliseconds();
            command.Parameters.Add("@document", SqlDbType.VarBinary, -1).Value = incident.Document;
            moved += Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    public async ValueTask<IReadOnlyList<ArchivedIncident>> ExpiredAsync(DateTimeOffset closedBefore, int max, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAllAsync(connection, SqlServerStatements.ExpiredArchive, r => new ArchivedIncident(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)), (byte[])r[7]),
            [Max(max), Cutoff(closedBefore)], cancellationToken);
    }

    public async ValueTask<int> DeleteArchivedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var deleted = 0;
        foreach (var id in ids)
        {
            await using var command = new SqlCommand(SqlServerStatements.DeleteArchived, connection, transaction);
            command.Parameters.Add(Id(id));
            deleted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async ValueTask<long> CountArchivedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(SqlServerStatements.CountArchived, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<IncidentDetail?> ArchivedDetailAsync(SqlConnection connection, long id, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(SqlServerStatements.ArchivedDocument, connection);
        command.Parameters.Add(Id(id));
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] document ? ArchiveDocument.Decode(document) : null;
    }

    private static async Task<IncidentPage> ListArchivedAsync(SqlConnection connection, IncidentQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<SqlParameter>();
        if (!string.IsNullOrEmpty(query.Customer))
        {
            where.Add(SqlServerStatements.ArchivedCustomerFilter);
            parameters.Add(new SqlParameter("@customer", SqlDbType.NVarChar, -1) { Value = query.Customer });
        }

        if (!string.IsNullOrEmpty(query.Host))
        {
            where.Add(SqlServerStatements.HostFilter);
            parameters.Add(new SqlParameter("@host", SqlDbType.NVarChar, 255) { Value = query.Host });
        }

        if (where.Count == 0)
        {
            throw new ArgumentException(IncidentQuery.ArchiveNeedsFilter);
        }

        var filter = SqlServerStatements.Where(where);
        await using var count = new SqlCommand(SqlServerStatements.CountArchivedMatching(filter), connection);
        count.Parameters.AddRange(parameters.Select(p => (SqlParameter)((ICloneable)p).Clone()).ToArray());
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        var items = await ArchivedPageAsync(connection, filter, parameters, query.PageSize, (long)(query.Page - 1) * query.PageSize, cancellationToken);
        return new IncidentPage([.. items.Select(d => d.Incident)], query.Page, query.PageSize, total) { MemberCounts = [.. items.Select(d => d.Members.Count)] };
    }

    private static async Task<List<IncidentDetail>> ArchivedPageAsync(SqlConnection connection, string filter, List<SqlParameter> parameters, int limit, long offset,
        CancellationToken cancellationToken) =>
        await ReadAllAsync(connection, SqlServerStatements.PageArchived(filter), r => ArchiveDocument.Decode((byte[])r[0]),
        [
            .. parameters,
            new SqlParameter("@offset", SqlDbType.BigInt) { Value = offset },
            new SqlParameter("@limit", SqlDbType.Int) { Value = limit },
        ], cancellationToken);

    private static SqlParameter Max(int max) => new("@max", SqlDbType.Int) { Value = max };

    private static SqlParameter Cutoff(DateTimeOffset at) => new("@cutoff", SqlDbType.BigInt) { Value = at.ToUnixTimeMilliseconds() };
}
