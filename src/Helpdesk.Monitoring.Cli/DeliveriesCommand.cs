using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk deliveries</c>: what the outbound channels (webhooks, Teams, e-mail, Nagios, customer mail) have waiting
/// and have given up, and, once a receiver is mended, its dead deliveries sent again (an admin's token).
/// </summary>
internal static class DeliveriesCommand
{
    public static Command Create()
    {
        var api = new ApiCommandLine("deliveries");
        var channel = new Option<string>("--channel") { Description = "The outbound channel, as the service's configuration names it" };

        var state = new Option<string>("--state") { Description = "dead (default), pending or sent", DefaultValueFactory = _ => "dead" };
        state.AcceptOnlyFromAmong("dead", "pending", "sent");
        var listLimit = ApiCommandLine.Between(new Option<int>("--limit") { Description = "At most this many, newest first (1 to 500)", DefaultValueFactory = _ => 50 }, 1, 500);
        var list = new Command("list", "Each channel's backlog, and its newest deliveries in a state (dead by default, with the receiver's last answer)")
        {
            state, channel, listLimit,
        };
        list.SetAction(p => api.RunAsync(p, async service =>
        {
            var query = $"state={p.GetValue(state)}&limit={p.GetValue(listLimit).ToString(CultureInfo.InvariantCulture)}"
                + (p.GetValue(channel) is { Length: > 0 } c ? $"&channel={HelpdeskApi.Encode(c)}" : "");
            var (body, exit, error) = await service.GetAsync("api/v1/deliveries?" + query);
            return exit != 0 ? api.Fail(exit, error) : api.Print(p, body, Table);
        }));

        var required = new Option<string>("--channel") { Description = "The outbound channel whose dead deliveries to send again", Required = true };
        var events = new Option<string[]>("--event") { Description = "Only this delivery, by its event id (as `deliveries list` shows it); may be given several times" };
        var requeueLimit = new Option<int?>("--limit") { Description = "With no --event: the oldest this many (default 1,000, at most 10,000 a call)" };
        var requeue = new Command("requeue", "Send a channel's dead deliveries again, after its receiver is mended (admins): each gets a new set of attempts")
        {
            required, events, requeueLimit,
        };
        requeue.SetAction(p => api.RunAsync(p, async service =>
        {
            var name = p.GetValue(required)!;
            var ids = p.GetValue(events) ?? [];
            var (body, exit, error) = await service.PostAsync("api/v1/deliveries/requeue",
                HelpdeskApi.Body(("channel", name), ("eventIds", ids.Length == 0 ? null : ids), ("limit", p.GetValue(requeueLimit))));
            return exit != 0
                ? api.Fail(exit, $"{name}: {error}")
                : api.Print(p, body, b => $"{name}: {b.GetProperty("requeued").GetInt32()} re-queued, {b.GetProperty("stillDead").GetInt64()} still dead");
        }));

        return new Command("deliveries", "The outbound channels' backlog and given-up deliveries: list, requeue")
        {
            api.Url, api.Token, api.Output, list, requeue,
        };
    }

    private static string Table(JsonElement answer)
    {
        var text = new StringBuilder();
        foreach (var b in answer.GetProperty("backlog").EnumerateArray())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{IncidentText.S(b, "channel")}: {b.GetProperty("pending").GetInt64()} waiting, {b.GetProperty("dead").GetInt64()} dead");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{"CHANNEL",-12} {"INCIDENT",-10} {"EVENT",-16} {"STATE",-7} {"TRIES",5} {"QUEUED",-20} {"EVENT ID",-36} LAST ERROR");
        var items = answer.GetProperty("items");
        foreach (var d in items.EnumerateArray())
        {
            var queued = d.GetProperty("queuedAt").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{IncidentText.S(d, "channel"),-12} {IncidentText.S(d, "incident"),-10} {IncidentText.S(d, "event"),-16} {IncidentText.S(d, "state"),-7} {d.GetProperty("attempts").GetInt32(),5} {queued,-20} {IncidentText.S(d, "eventId"),-36} {IncidentText.S(d, "lastError")}");
        }

        var count = items.GetArrayLength();
        text.Append(CultureInfo.InvariantCulture, $"{count} deliver{(count == 1 ? "y" : "ies")}");
        return text.ToString();
    }
}
