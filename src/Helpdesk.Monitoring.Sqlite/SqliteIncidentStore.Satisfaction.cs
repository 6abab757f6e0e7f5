using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>Satisfaction answers on SQLite: one short write on the writer, between the pipeline's commits.</summary>
public sealed partial class SqliteIncidentStore : ISatisfactionRecords
{
    public async ValueTask<bool> RecordAsync(SatisfactionRating rating, CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            using var command = Writer.CreateCommand();
            command.CommandText = "INSERT INTO satisfaction (incident_id, score, comment, contact, team, at) VALUES (@id, @score, @comment, @contact, @team, @at) ON CONFLICT (incident_id) DO NOTHING";
            command.Parameters.AddWithValue("@id", rating.IncidentId);
            command.Parameters.AddWithValue("@score", rating.Score);
            command.Parameters.AddWithValue("@comment", rating.Comment);
            command.Parameters.AddWithValue("@contact", rating.Contact);
            command.Parameters.AddWithValue("@team", rating.Team);
            command.Parameters.AddWithValue("@at", ColumnText.Ms(rating.At));
            return command.ExecuteNonQuery() == 1;
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public async ValueTask<SatisfactionRating?> RatingAsync(long incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT score, comment, contact, team, at FROM satisfaction WHERE incident_id = @id";
        command.Parameters.AddWithValue("@id", incidentId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return reader.Read()
            ? new SatisfactionRating(incidentId, reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), ColumnText.At(reader.GetInt64(4)))
            : null;
    }
}
