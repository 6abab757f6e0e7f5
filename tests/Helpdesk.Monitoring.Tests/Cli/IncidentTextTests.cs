using System.Text.Json;
using Helpdesk.Monitoring.Cli;

namespace Helpdesk.Monitoring.Tests.Cli;

/// <summary>What <c>helpdesk incidents</c> prints reaches a terminal: text from the store never arrives there as an escape sequence.</summary>
public sealed class IncidentTextTests
{
    [Fact]
    public void A_control_character_kept_in_the_store_is_shown_as_a_replacement_not_sent_to_the_terminal()
    {
        // A note written before the service refused control characters, and a title set to retitle the terminal.
        var detail = JsonDocument.Parse("""
            {
              "incident": {
                "number": "INC-000007", "title": "web01 \u001b]0;pwned\u0007", "priority": "P2", "status": "resolved", "tier": "L1",
                "team": "helpdesk", "assignedTo": "alice", "customer": "acme", "openedAt": "2026-12-02T09:00:00Z", "alertCount": 1,
                "resolutionCause": "disk\rfull", "resolutionFix": "rotated", "description": "line one\nline two",
                "sla": { "responseBreached": false, "resolutionBreached": false }
              },
              "members": [],
              "timeline": [ { "at": "2026-12-02T09:01:00Z", "kind": "note", "text": "red \u001b[31mALERT\u001b[0m\r\nnext line" } ],
              "history": []
            }
            """).RootElement;

        var text = IncidentText.Detail(detail);

        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.Contains("INC-000007: web01 \uFFFD]0;pwned\uFFFD", text, StringComparison.Ordinal);
        Assert.Contains("Cause: disk\uFFFDfull", text, StringComparison.Ordinal);
        Assert.Contains("red \uFFFD[31mALERT\uFFFD[0m\nnext line", text, StringComparison.Ordinal);
        Assert.Contains("line one\nline two", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0, "1 alert, 0 members")]
    [InlineData(3, 1, "3 alerts, 1 member")]
    public void Counts_are_said_in_words_that_agree_and_the_description_is_followed_by_one_blank_line(int alerts, int members, string said)
    {
        var text = IncidentText.Detail(Detail(alerts, Enumerable.Repeat(Member("web02", "", "DOWN", false, "PING CRITICAL"), members)));

        Assert.Contains("; opened 2026-12-02 09:00:00Z, " + said + "\n", text, StringComparison.Ordinal);
        Assert.Contains(members == 0 ? "Output: PING CRITICAL\n\nTimeline:" : "Output: PING CRITICAL\n\nMembers (", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_members_are_listed_with_their_state_and_output_fifty_at_most()
    {
        var text = IncidentText.Detail(Detail(3, [Member("web02", "", "UNREACHABLE", false, "CRITICAL - Host Unreachable (10.0.0.2)"), Member("web02", "HTTP", "OK", true, "HTTP OK")]));

        Assert.Contains("""
            Members (2, 1 recovered):
              web02                            UNREACHABLE            CRITICAL - Host Unreachable (10.0.0.2)
              web02/HTTP                       OK (recovered)         HTTP OK

            Timeline:
            """.ReplaceLineEndings("\n"), text, StringComparison.Ordinal);

        var outage = IncidentText.Detail(Detail(61, Enumerable.Range(1, 60).Select(n => Member($"host{n:D2}", "", "UNREACHABLE", false, "unreachable"))));
        Assert.Contains("  host50 ", outage, StringComparison.Ordinal);
        Assert.DoesNotContain("  host51 ", outage, StringComparison.Ordinal);
        Assert.Contains("  … 10 more (-o json lists them all)\n", outage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_storm_in_the_queue_is_named_by_its_service_without_a_host_before_it_and_a_paused_clock_says_so()
    {
        var page = JsonDocument.Parse("""
            {
              "items": [
                { "number": "INC-000104", "priority": "P2", "status": "open", "tier": "L2", "openedAt": "2026-12-02T09:00:00Z", "assignedTo": "",
                  "customer": "", "host": "", "service": "storm 09:00", "title": "Alert storm",
                  "sla": { "responseBreached": false, "resolutionBreached": false, "responseDueAt": "2999-01-01T00:00:00Z", "resolutionDueAt": null, "pausedAt": "2026-12-02T09:05:00Z" } },
                { "number": "INC-000103", "priority": "P2", "status": "open", "tier": "L1", "openedAt": "2026-12-02T09:00:00Z", "assignedTo": "",
                  "customer": "", "host": "edge099", "service": "PING", "title": "edge099 / PING is CRITICAL",
                  "sla": { "responseBreached": false, "resolutionBreached": false, "responseDueAt": null, "resolutionDueAt": null } }
              ],
              "total": 2
            }
            """).RootElement;

        var lines = IncidentText.Table(page).Split('\n');

        Assert.Contains(" storm 09:00 ", lines[1], StringComparison.Ordinal);
        Assert.Contains(" paused (maintenance) ", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("/storm", lines[1], StringComparison.Ordinal);
        Assert.Contains(" edge099/PING ", lines[2], StringComparison.Ordinal);
    }

    private static string Member(string host, string service, string state, bool recovered, string output) =>
        JsonSerializer.Serialize(new { host, service, state, recovered, lastOutput = output });

    private static JsonElement Detail(int alerts, IEnumerable<string> members)
    {
        return JsonDocument.Parse($$"""
            {
              "incident": {
                "number": "INC-000008", "title": "web01 is DOWN", "priority": "P2", "status": "open", "tier": "L1",
                "team": "helpdesk", "assignedTo": "", "customer": "", "openedAt": "2026-12-02T09:00:00Z", "alertCount": {{alerts}},
                "resolutionCause": "", "resolutionFix": "", "description": "Output: PING CRITICAL\n",
                "sla": { "responseBreached": false, "resolutionBreached": false, "responseDueAt": null, "resolutionDueAt": null }
              },
              "members": [{{string.Join(",", members)}}],
              "timeline": [],
              "history": []
            }
            """).RootElement;
    }
}
