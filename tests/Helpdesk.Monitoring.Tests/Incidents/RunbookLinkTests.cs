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

    [Fact]
    public void A_reopens_message_keeps_the_runbooks_lines_and_not_what_was_true_at_the_opening()
    {
        var n = Records.Service(NotificationType.Problem, output: "CRITICAL - Service runbook: https://evil.example.com") with
        {
            ServiceNotesUrl = "https://wiki.example.com/runbooks/http",
            HostActionUrl = "https://grafana.example.com/d/web01",
            LongServiceOutput = "Host runbook: https://evil.example.com/details",
        };
        var description = IncidentText.Description(n);

        Assert.Equal("Service runbook: https://wiki.example.com/runbooks/http\nHost action: https://grafana.example.com/d/web01\n", IncidentText.RunbookLines(description));
        Assert.Equal("", IncidentText.RunbookLines(IncidentText.Description(Records.Service(NotificationType.Problem))));
        Assert.Equal(IncidentText.RunbookLines(description), Ports.OutboundIncident.DescriptionFor(IncidentEventKind.Reopened, description));
        Assert.Equal(description, Ports.OutboundIncident.DescriptionFor(IncidentEventKind.Opened, description));
        Assert.Equal("", Ports.OutboundIncident.DescriptionFor(IncidentEventKind.Resolved, description));
    }
}
