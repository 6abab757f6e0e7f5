using System.Globalization;
using System.Text;
using System.Text.Json;
using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.Cli;

/// <summary>Incidents as <c>helpdesk incidents</c> prints them for people: a queue table and one incident's page.</summary>
internal static class IncidentText
{
    public static string Table(JsonElement page)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"NUMBER",-10} {"PRI",-3} {"STATUS",-12} {"TIER",-4} {"AGE",-6} {"SLA",-22} {"ASSIGNED",-10} {"CUSTOMER",-12} {"HOST/SERVICE",-24} TITLE");
        foreach (var i in page.GetProperty("items").EnumerateArray())
        {
            var host = Where(i);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{S(i, "number"),-10} {S(i, "priority"),-3} {S(i, "status"),-12} {S(i, "tier"),-4} {Age(i.GetProperty("openedAt").GetDateTimeOffset()),-6} {Sla(i),-22} {Cut(S(i, "assignedTo"), 10),-10} {Cut(S(i, "customer"), 12),-12} {Cut(host, 24),-24} {S(i, "title")}");
        }

        var total = page.GetProperty("total").GetInt64();
        text.Append(Counted(total, "incident"));
        return text.ToString();
    }

    /// <summary>"1 alert", "3 alerts".</summary>
    internal static string Counted(long count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>host/service, the host alone, or the service alone (a storm's incident has no host).</summary>
    private static string Where(JsonElement e) => (S(e, "host"), S(e, "service")) switch
    {
        ({ Length: > 0 } host, { Length: > 0 } service) => $"{host}/{service}",
        ({ Length: > 0 } host, _) => host,
        (_, var service) => service,
    };

    public static string Detail(JsonElement detail)
    {
        var i = detail.GetProperty("incident");
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{S(i, "number")}: {S(i, "title")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {S(i, "priority")} {S(i, "status")}, tier {S(i, "tier")}, team {S(i, "team")}, assigned to {Or(S(i, "assignedTo"))}, customer {Or(S(i, "customer"))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  SLA: {Sla(i)}; opened {i.GetProperty("openedAt").GetDateTimeOffset():u}, {Counted(i.GetProperty("alertCount").GetInt64(), "alert")}, {Counted(detail.GetProperty("members").GetArrayLength(), "member")}");
        if (S(i, "resolutionCause").Length > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Cause: {S(i, "resolutionCause")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Fix: {S(i, "resolutionFix")}");
        }

        text.AppendLine().AppendLine(S(i, "description").TrimEnd()).AppendLine();
        Members(text, detail.GetProperty("members"));
        text.AppendLine("Timeline:");
        foreach (var t in detail.GetProperty("timeline").EnumerateArray())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {t.GetProperty("at").GetDateTimeOffset():u}  {S(t, "kind"),-16} {S(t, "text")}");
        }

        var history = detail.GetProperty("history");
        if (history.GetArrayLength() > 0)
        {
            text.AppendLine("Customer history on this host:");
            foreach (var h in history.EnumerateArray())
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {S(h, "number")} {S(h, "priority")} {S(h, "status"),-12} {S(h, "title")}");
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// The alerts correlated into the incident (the hosts behind a router that went down, say), each with its state and
    /// last output: what the person on call checks first. Bounded, since an outage can hold hundreds; -o json has all.
    /// </summary>
    private static void Members(StringBuilder text, JsonElement members)
    {
        const int Shown = 50;
        var count = members.GetArrayLength();
        if (count == 0)
        {
            return;
        }

        var recovered = members.EnumerateArray().Count(m => Flag(m, "recovered"));
        text.AppendLine(CultureInfo.InvariantCulture, $"Members ({count}, {recovered} recovered):");
        foreach (var m in members.EnumerateArray().Take(Shown))
        {
            var name = Where(m);
            var state = Flag(m, "recovered") ? $"{S(m, "state")} (recovered)" : S(m, "state");
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {Cut(name, 32),-32} {state,-22} {Cut(S(m, "lastOutput"), 60)}").TrimEnd());
        }

        if (count > Shown)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  … {count - Shown} more (-o json lists them all)");
        }

        text.AppendLine();
    }

    public static string Summary(JsonElement i) => $"{S(i, "priority")} {S(i, "status")}, assigned to {Or(S(i, "assignedTo"))}";

    private static string Sla(JsonElement i)
    {
        var sla = i.GetProperty("sla");
        var status = S(i, "status");
        if (sla.TryGetProperty("pausedAt", out var paused) && paused.ValueKind == JsonValueKind.String)
        {
            // In maintenance the clocks stand still: a countdown would be read as running (the board says the same).
            return "paused (maintenance)";
        }

        if (Flag(sla, "resolutionBreached") || (status == "open" && Flag(sla, "responseBreached")))
        {
            return Flag(sla, "resolutionBreached") ? "resolution BREACHED" : "response BREACHED";
        }

        if (status is "resolved" or "closed")
        {
            return "-";
        }

        var responding = status == "open" && sla.GetProperty("responseDueAt").ValueKind == JsonValueKind.String;
        var due = sla.GetProperty(responding ? "responseDueAt" : "resolutionDueAt");
        if (due.ValueKind != JsonValueKind.String)
        {
            return "-";
        }

        var left = due.GetDateTimeOffset() - TimeProvider.System.GetUtcNow();
        return left <= TimeSpan.Zero ? $"{(responding ? "response" : "resolution")} due now" : $"{(responding ? "response" : "resolution")} in {Span(left)}";
    }

    private static string Age(DateTimeOffset opened) => Span(TimeProvider.System.GetUtcNow() - opened);

    private static string Span(TimeSpan span) => span.TotalMinutes < 90 ? $"{Math.Max(0, (int)span.TotalMinutes)}m"
        : span.TotalHours < 48 ? $"{(int)span.TotalHours}h" : $"{(int)span.TotalDays}d";

    /// <summary>A text of the answer as a terminal may show it: a control character stored before the service refused them
    /// (or by another client of the store) must not reach the reader's terminal as an escape sequence.</summary>
    internal static string S(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? PlainText.Clean(v.GetString()!) : "";

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string Or(string text) => text.Length > 0 ? text : "-";

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
