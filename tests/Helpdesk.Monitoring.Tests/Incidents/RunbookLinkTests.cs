using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>Nagios' notes, notes URL and action URL travel in the wire record and stand on the incident, runbook first.</summary>
public sealed class RunbookLinkTests
{
    [Fact]
    public void Notes_and_urls_survive_the_wire_record_and_lead_the_description()
    {
        var n = Records.Service(NotificationType.Problem) with
        {
            ServiceNotesUrl = "https://wiki.example.com/runbooks/http",
            ServiceNotes = "Restart the app pool before paging L2",
            HostNotesUrl = "https://wiki.example.com/hosts/web01",
            HostActionUrl = "https://grafana.example.com/d/web01",
        };
        var record = Records.Bytes(n);
        var decoded = NotificationDecoder.Decode(record, Records.Parse(record));
        Assert.Equal(n, decoded);

        var description = IncidentText.Description(decoded);
        Assert.Contains("Service runbook: https://wiki.example.com/runbooks/http\nService notes: Restart the app pool before paging L2\n"
            + "Host runbook: https://wiki.example.com/hosts/web01\nHost action: https://grafana.example.com/d/web01\nOutput: ", description, StringComparison.Ordinal);
        Assert.DoesNotContain("runbook", IncidentText.Description(Records.Service(NotificationType.Problem)), StringComparison.Ordinal);
    }
}
