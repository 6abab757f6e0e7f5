using System.Text;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// The words the stores, the API, the metrics and the wire format spell things with: a contract with what was
/// already written (a database, a dead letter, a dashboard), so each is pinned and read back.
/// </summary>
public sealed class NamesTests
{
    [Fact]
    public void Timeline_kinds_are_written_and_read_back_by_their_stored_names()
    {
        var expected = new Dictionary<TimelineKind, string>
        {
            [TimelineKind.Opened] = "opened", [TimelineKind.StateChanged] = "state_changed", [TimelineKind.Acknowledged] = "acknowledged",
            [TimelineKind.Resolved] = "resolved", [TimelineKind.Reopened] = "reopened", [TimelineKind.Closed] = "closed",
            [TimelineKind.Note] = "note", [TimelineKind.Correlated] = "correlated", [TimelineKind.Merged] = "merged",
            [TimelineKind.Escalated] = "escalated", [TimelineKind.Breached] = "breached", [TimelineKind.StormStarted] = "storm_started",
            [TimelineKind.StormEnded] = "storm_ended", [TimelineKind.Assigned] = "assigned", [TimelineKind.PriorityChanged] = "priority_changed",
            [TimelineKind.CustomerNote] = "customer_note", [TimelineKind.CustomerUpdate] = "customer_update",
            [TimelineKind.SlaCorrected] = "sla_corrected",
        };
        Assert.Equal(Enum.GetValues<TimelineKind>().Order(), expected.Keys.Order());
        foreach (var (kind, name) in expected)
        {
            Assert.Equal(name, TimelineKindNames.Of(kind));
            Assert.Equal(kind, TimelineKindNames.Parse(name));
        }

        Assert.Equal(TimelineKind.Note, TimelineKindNames.Parse("something newer"));
    }

    [Fact]
    public void Statuses_priorities_and_outcomes_have_their_stored_names()
    {
        foreach (var (status, name) in new[] { (IncidentStatus.Open, "open"), (IncidentStatus.Acknowledged, "acknowledged"), (IncidentStatus.Resolved, "resolved"), (IncidentStatus.Closed, "closed") })
        {
            Assert.Equal(name, IncidentNames.Of(status));
            Assert.Equal(status, IncidentNames.ParseStatus(name));
        }

        Assert.Equal("P1", IncidentNames.Of(Priority.P1));
        Assert.Equal(Priority.P4, IncidentNames.ParsePriority("P4"));
        Assert.Equal(
            ["redelivered", "opened", "updated", "repeated", "acknowledged", "resolved", "reopened", "noted", "correlated"],
            new[] { ApplyOutcome.Redelivered, ApplyOutcome.Opened, ApplyOutcome.Updated, ApplyOutcome.Repeated, ApplyOutcome.Acknowledged, ApplyOutcome.Resolved,
                ApplyOutcome.Reopened, ApplyOutcome.Noted, ApplyOutcome.Correlated }.Select(IncidentNames.Of));
        Assert.Equal("ignored", IncidentNames.Of(ApplyOutcome.Ignored));
    }

    [Fact]
    public void Reject_reasons_label_metrics_with_fixed_words()
    {
        Assert.Equal(
            ["malformed_json", "unsupported_version", "missing_field", "invalid_field", "oversized", "unknown_type", "processing_failed", "unusable_entry"],
            new[] { RejectReason.MalformedJson, RejectReason.UnsupportedVersion, RejectReason.MissingField, RejectReason.InvalidField, RejectReason.Oversized,
                RejectReason.UnknownType, RejectReason.ProcessingFailed, RejectReason.Unusable }.Select(RejectReasons.Label));
        Assert.Equal("none", RejectReasons.Label(RejectReason.None));
    }

    [Fact]
    public void Every_wire_field_is_spelled_as_the_reader_matches_it()
    {
        foreach (var field in Enum.GetValues<WireField>().Where(f => f != WireField.Unknown))
        {
            var name = WireFieldText.Of(field);
            Assert.Equal(field, WireFieldNames.Match(Encoding.UTF8.GetBytes(name)));
        }

        Assert.Equal("?", WireFieldText.Of(WireField.Unknown));
        Assert.Equal("serviceProblemId", WireFieldText.Of(WireField.ServiceProblemId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("V")]
    [InlineData("hosT")]
    [InlineData("hostalias")]
    [InlineData("serviceProblemIdX")]
    [InlineData("lastServiceProblemIdAndMore")]
    public void A_name_the_table_does_not_spell_exactly_is_unknown(string name) =>
        Assert.Equal(WireField.Unknown, WireFieldNames.Match(Encoding.UTF8.GetBytes(name)));

    [Fact]
    public void The_table_has_one_row_per_field_and_every_notify_option_overrides_a_macro_of_its_own()
    {
        Assert.Equal(Enum.GetValues<WireField>().Where(f => f != WireField.Unknown).Order(), WireFields.Rows.Select(r => r.Field).Order());
        Assert.Equal(WireFields.Rows.Length, WireFields.Rows.Select(r => r.Name).Distinct().Count());
        var options = WireFields.Options.ToList();
        Assert.Equal(options.Count, options.Select(o => o.Option).Distinct().Count());
        Assert.Equal(options.Count, options.Select(o => o.Macro).Distinct().Count());
        Assert.All(options, o => Assert.StartsWith("--", o.Option, StringComparison.Ordinal));
        Assert.Contains(("--host", "HOSTNAME", "host name (NAGIOS_HOSTNAME)"), options);
    }

    [Theory]
    [InlineData(42, "INC-000042")]
    [InlineData(1_234_567, "INC-1234567")]
    public void Incident_numbers_are_formatted_and_read_back(long id, string text)
    {
        Assert.Equal(text, IncidentNumber.Format(id));
        Assert.True(IncidentNumber.TryParse(text, out var parsed));
        Assert.Equal(id, parsed);
        Assert.True(IncidentNumber.TryParse(text.ToLowerInvariant(), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("INC-")]
    [InlineData("INC-000000")]
    [InlineData("INC--5")]
    [InlineData("INC-12a")]
    [InlineData("TKT-000042")]
    public void Anything_else_is_not_an_incident_number(string? text) => Assert.False(IncidentNumber.TryParse(text, out _));
}
