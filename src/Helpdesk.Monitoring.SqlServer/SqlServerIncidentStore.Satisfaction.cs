using System.Data;
using Helpdesk.Monitoring.Ports;
using Microsoft.Data.SqlClient;

namespace Helpdesk.Monitoring.SqlServer;

/// <summary>Satisfaction answers on SQL Server: an insert that keeps the first answer, whichever instance took it.</summary>
public sealed partial class SqlServerIncidentStore : ISatisfactionRecords
{
    public async ValueTask<bool> RecordAsync(SatisfactionRating rating, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqlCommand(SqlServerStatements.RecordSatisfaction, connection);
        command.Parameters.Add(new SqlParameter("@id", SqlDbType.BigInt) { Value = rating.IncidentId });
        command.Parameters.Add(new SqlParameter("@score", SqlDbType.Int) { Value = rating.Score });
        command.Parameters.Add(new SqlParameter("@comment", SqlDbType.NVarChar, SatisfactionRating.MaxCommentLength) { Value = rating.Comment });
        command.Parameters.Add(new SqlParameter("@contact", SqlDbType.NVarChar, 320) { Value = rating.Contact });
        command.Parameters.Add(new SqlParameter("@team", SqlDbType.NVarChar, 255) { Value = rating.Team });
        command.Parameters.Add(new SqlParameter("@at", SqlDbType.BigInt) { Value = rating.At.ToUnixTimeMilliseconds() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask<SatisfactionRating?> RatingAsync(long incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await ReadAllAsync(connection, SqlServerStatements.GetSatisfaction,
            r => new SatisfactionRating(incidentId, r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))),
            [new SqlParameter("@id", SqlDbType.BigInt) { Value = incidentId }], cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }
}
