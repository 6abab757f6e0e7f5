using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// An incident's optional text is empty, never null, and never a placeholder: the stores write it into NOT NULL
/// columns, the API returns it as it is, and an agent reads it.
/// </summary>
public sealed class IncidentRecordTests
{
    [Fact]
    public void Text_not_given_is_empty()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(Records.T0);
        var record = new IncidentRecord
        {
            Id = 1, Instance = "nagios-a", Host = "web01", Title = "web01 DOWN", Status = IncidentStatus.Open, Priority = Priority.P3,
            State = AlertState.Down, WorstState = AlertState.Down, AlertCount = 1, OpenedAt = at, LastSeenAt = at, UpdatedAt = at,
        };

        var text = typeof(IncidentRecord).GetProperties()
            .Where(p => p.PropertyType == typeof(string) && p.Name is not (nameof(IncidentRecord.Instance) or nameof(IncidentRecord.Host) or nameof(IncidentRecord.Title) or nameof(IncidentRecord.Number)))
            .ToDictionary(p => p.Name, p => (string?)p.GetValue(record));

        Assert.True(text.Count >= 12, "fewer text fields than expected: " + string.Join(", ", text.Keys));
        Assert.All(text, field => Assert.True(field.Value == "", $"{field.Key} is {(field.Value is null ? "null" : $"\"{field.Value}\"")}, not empty"));
    }
}
