using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// The Microsoft Teams message for one event: an Adaptive Card (schema 1.4, which Teams renders in channels and
/// chats) in the envelope Teams workflows and incoming webhooks take. A band coloured by priority (or green once
/// resolved), the title, the timeline's sentence, the facts an on-call person needs (customer, host/service, status,
/// team and tier, SLA deadlines) and a button to open the incident.
/// </summary>
public static class TeamsCard
{
    public const string Version = "1.4";

    private const int MaxDescription = 4_000;
    private const int MaxDescriptionLines = 40;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="sla">The incident's SLA deadlines as the store holds them now, when known.</param>
    public static byte[] Message(PendingDelivery delivery, string incidentUrl, IncidentSla? sla = null)
    {
        var e = delivery.Event;
        var i = delivery.Incident;
        return Card(w =>
        {
            w.WriteStartArray("body");

            w.WriteStartObject();
            w.WriteString("type", "Container");
            w.WriteString("style", Style(e));
            w.WriteBoolean("bleed", true);
            w.WriteStartArray("items");
            Text(w, $"{i.Number} · {IncidentNames.Of(e.Priority)} · {IncidentEventKindNames.Of(e.Kind).Replace('_', ' ')}", size: "Small", weight: "Bolder", subtle: true);
            Text(w, i.Title, size: "Medium", weight: "Bolder");
            w.WriteEndArray();
            w.WriteEndObject();

            Text(w, delivery.Folded.Count == 0 ? e.Text : $"{e.Text} (and {delivery.Folded.Count} earlier update{(delivery.Folded.Count == 1 ? "" : "s")})",
                size: null, weight: null, subtle: false);

            w.WriteStartObject();
            w.WriteString("type", "FactSet");
            w.WriteStartArray("facts");
            Fact(w, "Customer", i.Customer);
            Fact(w, "Host / service", IncidentPlace.Of(i));
            Fact(w, "State", NagiosNames.Of(e.State));
            Fact(w, "Status", IncidentNames.Of(e.Status));
            Fact(w, "Team / tier", $"{i.Team} / {e.Tier}");
            if (sla is { } s)
            {
                Fact(w, "Response due", Time(s.ResponseDueAt) + (s.ResponseBreached ? " (breached)" : ""));
                Fact(w, "Resolution due", Time(s.ResolutionDueAt) + (s.ResolutionBreached ? " (breached)" : ""));
            }

            Fact(w, "Alerts", e.AlertCount.ToString(CultureInfo.InvariantCulture));
            Fact(w, "When", e.At.ToString("u", CultureInfo.InvariantCulture));
            w.WriteEndArray();
            w.WriteEndObject();

            if (i.Description.Length > 0)
            {
                // The runbook and the check's details, one block a line (a TextBlock joins single line breaks), cut so
                // that the card stays well inside what Teams takes (about 28 KB): the incident has the rest.
                var lines = i.Description.TrimEnd('\n').Split('\n');
                var budget = MaxDescription;
                foreach (var line in lines.Take(MaxDescriptionLines))
                {
                    var shown = line.Length > budget ? line[..budget] + "…" : line;
                    Text(w, shown, size: "Small", weight: null, subtle: true);
                    budget -= shown.Length;
                    if (budget <= 0)
                    {
                        break;
                    }
                }

                if (lines.Length > MaxDescriptionLines && budget > 0)
                {
                    Text(w, $"… {lines.Length - MaxDescriptionLines} more lines in the incident", size: "Small", weight: null, subtle: true);
                }
            }

            w.WriteEndArray();

            if (incidentUrl.Length > 0)
            {
                w.WriteStartArray("actions");
                w.WriteStartObject();
                w.WriteString("type", "Action.OpenUrl");
                w.WriteString("title", $"Open {i.Number}");
                w.WriteString("url", incidentUrl);
                w.WriteEndObject();
                w.WriteEndArray();
            }
        });
    }

    /// <summary>Green once it is over; otherwise red for P1/P2, amber for P3, the host's accent below that.</summary>
    public static string Style(IncidentEvent e) =>
        e.Status is IncidentStatus.Resolved or IncidentStatus.Closed ? "good"
        : e.Priority <= Priority.P2 ? "attention"
        : e.Priority == Priority.P3 ? "warning"
        : "accent";

    private static void Text(Utf8JsonWriter w, string text, string? size, string? weight, bool subtle = false)
    {
        w.WriteStartObject();
        w.WriteString("type", "TextBlock");
        w.WriteString("text", text);
        w.WriteBoolean("wrap", true);
        if (size is not null)
        {
            w.WriteString("size", size);
        }

        if (weight is not null)
        {
            w.WriteString("weight", weight);
        }

        if (subtle)
        {
            w.WriteBoolean("isSubtle", true);
        }

        w.WriteEndObject();
    }

    private static void Fact(Utf8JsonWriter w, string title, string value)
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteString("value", value.Length > 0 ? value : "-");
        w.WriteEndObject();
    }

    private static string Time(DateTimeOffset? at) => at?.ToString("u", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>The card a Teams channel gets when it hit its rate bound.</summary>
    public static byte[] HeldBack(long waiting, int perMinute) => Card(w =>
    {
        w.WriteStartArray("body");
        Text(w, $"{waiting} helpdesk messages held back", size: "Medium", weight: "Bolder");
        Text(w, $"More than {perMinute} a minute: they follow at {perMinute} a minute. The helpdesk has them all.", size: null, weight: null);
        w.WriteEndArray();
    });

    /// <summary>A Teams message holding one Adaptive Card, whose body (and actions) <paramref name="content"/> writes.</summary>
    private static byte[] Card(Action<Utf8JsonWriter> content)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteStartArray("attachments");
            w.WriteStartObject();
            w.WriteString("contentType", "application/vnd.microsoft.card.adaptive");
            w.WriteNull("contentUrl");
            w.WriteStartObject("content");
            w.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            w.WriteString("type", "AdaptiveCard");
            w.WriteString("version", Version);
            content(w);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

}
