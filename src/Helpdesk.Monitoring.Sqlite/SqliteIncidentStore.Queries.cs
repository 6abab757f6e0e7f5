using Microsoft.Data.Sqlite;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Sqlite;

public sealed partial class SqliteIncidentStore
{
    public async ValueTask<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        if (query.Archived)
        {
            return await ListArchivedAsync(connection, query, cancellationToken);
        }

        using var command = connection.CreateCommand();
        var where = new List<string>();
        In("status", query.Statuses.Select(IncidentNames.Of).ToList(), where, command);
        In("priority", query.Priorities.Select(IncidentNames.Of).ToList(), where, command);
        Equal("customer", query.Customer, where, command);
        Equal("host", query.Host, where, command);
        Equal("team", query.Team, where, command);
        Equal("tier", query.Tier, where, command);
        Equal("assigned_to", query.AssignedTo, where, command);
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        command.CommandText = $"SELECT COUNT(*) FROM incident{filter}";
        var total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        // The page's ids come from the incident table alone, sorted on its narrow columns; only those rows are read
        // through incident_row. Sorting and skipping whole rows of the view (descriptions, outputs, the counters' join)
        // made a page of a 50,000-incident storm cost 0.2-0.3 s, and the last page the most.
        command.CommandText = $"SELECT {IncidentColumns.List}, (SELECT COUNT(*) FROM incident_member m WHERE m.incident_id = incident_row.id) FROM incident_row "
            + $"WHERE id IN (SELECT id FROM incident{filter} ORDER BY {query.OrderBy} LIMIT @limit OFFSET @offset) ORDER BY {query.OrderBy}";
        command.Parameters.AddWithValue("@limit", query.PageSize);
        command.Parameters.AddWithValue("@offset", (long)(query.Page - 1) * query.PageSize);
        var items = new List<IncidentRecord>();
        var members = new List<int>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (reader.Read())
            {
                items.Add(SqliteRows.Incident(reader));
                members.Add(reader.GetInt32(IncidentColumns.All.Count));
            }
        }

        return new IncidentPage(items, query.Page, query.PageSize, total) { MemberCounts = members };
    }

    private static void In(string column, IReadOnlyList<string> values, List<string> where, SqliteCommand command)
    {
        if (values.Count == 0)
        {
            return;
        }

        var names = values.Select((v, i) => $"@{column}{i}").ToList();
        where.Add($"{column} IN ({string.Join(", ", names)})");
        for (var i = 0; i < values.Count; i++)
        {
            command.Parameters.AddWithValue(names[i], values[i]);
        }
    }

    private static void Equal(string column, string? value, List<string> where, SqliteCommand command)
    {
        if (!string.IsNullOrEmpty(value))
        {
            where.Add($"{column} = @{column}");
            command.Parameters.AddWithValue("@" + column, value);
        }
    }

    public async ValueTask<IncidentDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("@id", id);
        command.CommandText = $"SELECT {IncidentColumns.List} FROM incident_row WHERE id = @id";
        IncidentRecord? incident = null;
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (reader.Read())
            {
                incident = SqliteRows.Incident(reader);
            }
        }

        if (incident is null)
        {
            return await ArchivedDetailAsync(connection, id, cancellationToken);
        }

        command.CommandText = "SELECT incident_id, seq, at, kind, event_id, text FROM timeline WHERE incident_id = @id ORDER BY seq";
        var timeline = new List<TimelineEntry>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (reader.Read())
            {
                timeline.Add(new TimelineEntry(reader.GetInt64(0), reader.GetInt32(1), ColumnText.At(reader.GetInt64(2)),
                    TimelineKindNames.Parse(reader.GetString(3)), reader.IsDBNull(4) ? null : ColumnText.Guid((byte[])reader[4]), reader.GetString(5)));
            }
        }

        command.CommandText = $"SELECT {SqliteRows.MemberList} FROM incident_member WHERE incident_id = @id ORDER BY joined_at, host, service";
        var members = new List<AlertMember>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (reader.Read())
            {
                members.Add(SqliteRows.Member(reader));
            }
        }

        command.CommandText = "SELECT event_id, kind, at, incident_id, seq, cause, status, priority, tier, state, alert_count, merged_into, text "
            + "FROM incident_event WHERE incident_id = @id ORDER BY seq";
        var events = new List<IncidentEvent>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (reader.Read())
            {
                events.Add(new IncidentEvent(ColumnText.Guid((byte[])reader[0]), IncidentEventKindNames.Parse(reader.GetString(1)), ColumnText.At(reader.GetInt64(2)),
                    reader.GetInt64(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : ColumnText.Guid((byte[])reader[5]), IncidentNames.ParseStatus(reader.GetString(6)),
                    IncidentNames.ParsePriority(reader.GetString(7)), reader.GetString(8), NagiosNames.ParseState(reader.GetString(9)), reader.GetInt64(10),
                    reader.IsDBNull(11) ? null : reader.GetInt64(11), reader.GetString(12)));
            }
        }

        return new IncidentDetail(incident, timeline) { Members = members, Events = events };
    }

    public async ValueTask<IReadOnlyList<IncidentRecord>> HistoryAsync(IncidentRecord incident, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {IncidentColumns.List} FROM incident_row WHERE host = @host AND customer = @customer AND id < @id "
            + "ORDER BY opened_at DESC, id DESC LIMIT @limit";
        command.Parameters.AddWithValue("@host", incident.Host);
        command.Parameters.AddWithValue("@customer", incident.Customer);
        command.Parameters.AddWithValue("@id", incident.Id);
        command.Parameters.AddWithValue("@limit", limit);
        var history = new List<IncidentRecord>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (reader.Read())
            {
                history.Add(SqliteRows.Incident(reader));
            }
        }

        // The archive holds what is older than anything live: it continues the list where the live rows end.
        if (history.Count < limit)
        {
            var archived = await ArchivedListAsync(connection, "host = @host AND customer = @customer AND id < @id", p =>
            {
                p.AddWithValue("@host", incident.Host);
                p.AddWithValue("@customer", incident.Customer);
                p.AddWithValue("@id", incident.Id);
            }, limit - history.Count, 0, cancellationToken);
            history.AddRange(archived.Select(d => d.Incident));
        }

        return history;
    }
}
