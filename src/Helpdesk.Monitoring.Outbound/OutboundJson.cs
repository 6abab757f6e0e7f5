using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// The webhook body: one JSON document per event. The incident's status, priority, tier and alert count are as the
/// event left them (a late delivery still says what was true then); title, team, customer, host and service never change.
/// </summary>
public static class OutboundJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="incidentUrl">Where a person opens the incident; empty when the service's public address is not configured.</param>
    public static byte[] Event(PendingDelivery delivery, string incidentUrl)
    {
        var e = delivery.Event;
        var i = delivery.Incident;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("eventId", e.Id);
            w.WriteString("event", IncidentEventKindNames.Of(e.Kind));
            w.WriteString("occurredAt", e.At);
            w.WriteString("text", e.Text);

            // Earlier updates of the incident this message stands for (sent as one, see FoldWindow); oldest first.
            w.WriteNumber("folded", delivery.Folded.Count);
            w.WriteStartArray("foldedEventIds");
            foreach (var id in delivery.Folded)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteStartObject("incident");
            w.WriteString("number", i.Number);
            w.WriteString("title", i.Title);
            w.WriteString("status", IncidentNames.Of(e.Status));
            w.WriteString("priority", IncidentNames.Of(e.Priority));
            w.WriteString("team", i.Team);
            w.WriteString("tier", e.Tier);
            w.WriteString("customer", i.Customer);
            w.WriteString("host", i.Host);
            w.WriteString("service", i.Service);
            w.WriteString("state", NagiosNames.Of(e.State));
            w.WriteNumber("alertCount", e.AlertCount);
            w.WriteString("url", incidentUrl);

            // Only on "opened": the runbook and the check's details, for the person paged.
            w.WriteString("description", i.Description);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The summary a webhook gets when its channel hit its rate bound: no incident, no event id.</summary>
    public static byte[] HeldBack(string channel, long waiting, int perMinute, DateTimeOffset at)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("event", "held_back");
            w.WriteString("occurredAt", at);
            w.WriteString("channel", channel);
            w.WriteNumber("waiting", waiting);
            w.WriteNumber("perMinute", perMinute);
            w.WriteString("text", $"More than {perMinute} messages a minute: {waiting} waiting incident events follow at {perMinute} a minute");
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
