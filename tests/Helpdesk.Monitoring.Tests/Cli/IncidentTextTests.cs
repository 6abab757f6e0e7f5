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
}
