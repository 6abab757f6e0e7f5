using System.Text;
using Helpdesk.Monitoring.Archive;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Tests.Archive;

public sealed class ArchiveDocumentTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);

    private static IncidentDetail Detail() => new(
        new IncidentRecord
        {
            Id = 42, Instance = "nagios-a", Host = "core-rtr01", Customer = "acme", Title = "core-rtr01 is DOWN", Description = "line one\nline \"two\"",
            Status = IncidentStatus.Closed, Priority = Priority.P1, State = AlertState.Up, WorstState = AlertState.Down, AlertCount = 7,
            OpenedAt = At, LastSeenAt = At.AddMinutes(5), UpdatedAt = At.AddHours(1), ClosedAt = At.AddHours(1), ResolvedAt = At.AddMinutes(30),
            AcknowledgedAt = null, MergedInto = null, TimelineCount = 2, AssignedTo = "alice", ResolutionCause = "power", ResolutionFix = "UPS replaced",
            Sla = new IncidentSla("24x7", At, At.AddMinutes(15), At.AddHours(4), true, false, null, 2),
        },
        [
            new TimelineEntry(42, 1, At, TimelineKind.Opened, Guid.CreateVersion7(), "Opened: PING CRITICAL – 100 % loss ✓"),
            new TimelineEntry(42, 2, At.AddHours(1), TimelineKind.Closed, null, "Closed: no new problem during the verification hold"),
        ])
    {
        Members = [new AlertMember(42, "nagios-a", "sw01", "", "host", "core-rtr01", AlertState.Unreachable, true, "99", 3, At, At.AddMinutes(1), "unreachable") { Customer = "acme" }],
    };

    [Fact]
    public void An_incident_comes_back_from_its_document_as_it_went_in()
    {
        var detail = Detail();
        var back = ArchiveDocument.Decode(ArchiveDocument.Encode(detail));

        Assert.Equal(detail.Incident, back.Incident);
        Assert.Equal(detail.Timeline, back.Timeline);
        Assert.Equal(detail.Members, back.Members);
    }

    [Fact]
    public void The_document_is_compressed_and_its_export_form_is_one_line_of_json()
    {
        var detail = Detail();
        var json = ArchiveDocument.Json(detail);
        Assert.DoesNotContain((byte)'\n', json);
        Assert.True(ArchiveDocument.Encode(detail).Length < json.Length);
        Assert.Contains("\"resolution_fix\":\"UPS replaced\"", Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void A_document_written_before_a_column_existed_reads_with_its_default()
    {
        // As if assigned_to had been added after this document was written.
        var json = Encoding.UTF8.GetString(ArchiveDocument.Json(Detail())).Replace("\"assigned_to\":\"alice\",", "", StringComparison.Ordinal);
        var back = ArchiveDocument.FromJson(Encoding.UTF8.GetBytes(json));
        Assert.Equal(Detail().Incident with { AssignedTo = "" }, back.Incident);
    }

    [Fact]
    public void A_newer_format_or_a_damaged_document_is_refused_with_a_reason()
    {
        var newer = Encoding.UTF8.GetString(ArchiveDocument.Json(Detail())).Replace("{\"v\":1,", "{\"v\":2,", StringComparison.Ordinal);
        var error = Assert.Throws<FormatException>(() => ArchiveDocument.FromJson(Encoding.UTF8.GetBytes(newer)));
        Assert.Contains("upgrade the service", error.Message, StringComparison.Ordinal);

        var damaged = ArchiveDocument.Encode(Detail());
        Assert.Throws<FormatException>(() => ArchiveDocument.Decompress(damaged.AsSpan(0, damaged.Length / 2)));
    }
}
