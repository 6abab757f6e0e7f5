using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// The incident events a decision hands on after the commit: one per timeline entry, named for what people do about
/// it (maintenance and flapping are not just notes), each with the incident as it stood right after it.
/// </summary>
public sealed class IncidentEventTests
{
    private readonly IncidentDecider _decider = new(new IncidentPolicy(), [], 0, 0);
    private readonly List<IncidentEvent> _events = [];
    private readonly List<TimelineEntry> _timeline = [];

    [Fact]
    public void Each_timeline_entry_is_one_event_named_for_what_happened_with_the_incident_right_after_it()
    {
        At(0, Records.Service(NotificationType.Problem, host: "web01", service: "HTTP"));
        At(30, Records.Host(NotificationType.Problem, host: "web01"));
        At(40, Records.Host(NotificationType.DowntimeStart, host: "web01"));
        At(50, Records.Service(NotificationType.Problem, host: "db01"));
        At(60, Records.Service(NotificationType.FlappingStart, host: "db01"));
        At(50 + (16 * 60));

        Assert.Equal(
            [
                (1L, IncidentEventKind.Opened), (2L, IncidentEventKind.Opened), (1L, IncidentEventKind.Merged), (2L, IncidentEventKind.Updated),
                (2L, IncidentEventKind.MaintenanceStarted), (3L, IncidentEventKind.Opened), (3L, IncidentEventKind.FlappingStarted),
                (3L, IncidentEventKind.Escalated),
            ],
            _events.Select(e => (e.IncidentId, e.Kind)));
        Assert.Equal(_timeline.Select(t => (t.IncidentId, t.Seq, t.At, t.EventId, t.Text)), _events.Select(e => (e.IncidentId, e.Seq, e.At, e.Cause, e.Text)));
        Assert.All(_events, e => Assert.Equal(IncidentEvent.IdOf(e.IncidentId, e.Seq), e.Id));

        var merged = _events.Single(e => e.Kind == IncidentEventKind.Merged);
        Assert.Equal((IncidentStatus.Closed, 2L), (merged.Status, merged.MergedInto));
        var escalated = _events.Single(e => e.Kind == IncidentEventKind.Escalated);
        Assert.Equal(("L2", IncidentStatus.Open, AlertState.Critical), (escalated.Tier, escalated.Status, escalated.State));
        Assert.Equal("L1", _events.Single(e => e is { IncidentId: 3, Kind: IncidentEventKind.Opened }).Tier);
    }

    [Fact]
    public void Maintenance_ending_and_flapping_stopping_are_named_too()
    {
        At(0, Records.Service(NotificationType.Problem, host: "db01"));
        At(10, Records.Service(NotificationType.DowntimeStart, host: "db01"));
        At(20, Records.Service(NotificationType.DowntimeCancelled, host: "db01"));
        At(30, Records.Service(NotificationType.FlappingStart, host: "db01"));
        At(40, Records.Service(NotificationType.FlappingStop, host: "db01"));

        Assert.Equal(
            [IncidentEventKind.Opened, IncidentEventKind.MaintenanceStarted, IncidentEventKind.MaintenanceEnded, IncidentEventKind.FlappingStarted, IncidentEventKind.FlappingStopped],
            _events.Select(e => e.Kind));
        Assert.Equal(["opened", "maintenance_started", "maintenance_ended", "flapping_started", "flapping_stopped"], _events.Select(e => IncidentEventKindNames.Of(e.Kind)));
        Assert.All(_events, e => Assert.Equal(e.Kind, IncidentEventKindNames.Parse(IncidentEventKindNames.Of(e.Kind))));
    }

    [Fact]
    public void An_event_id_is_made_from_the_incident_and_the_place_alone_and_never_repeats_for_another()
    {
        var ids = new HashSet<Guid>();
        foreach (var incident in new long[] { 0, 1, 2, 255, 256, 65_535, 65_536, (1L << 48) - 1 })
        {
            foreach (var seq in new[] { 1, 2, 255, 256, int.MaxValue })
            {
                var id = IncidentEvent.IdOf(incident, seq);
                Assert.True(ids.Add(id), $"incident {incident} seq {seq} gave an id already given");
                Assert.Equal(id, IncidentEvent.IdOf(incident, seq));
                Assert.Equal(8, id.Version);
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => IncidentEvent.IdOf(1L << 48, 1));
        Assert.Throws<FormatException>(() => IncidentEventKindNames.Parse("note"));
    }

    [Fact]
    public void Every_event_kind_has_its_own_name_read_back_as_itself_and_every_timeline_kind_is_an_event()
    {
        var kinds = Enum.GetValues<IncidentEventKind>();
        var names = kinds.Select(IncidentEventKindNames.Of).ToList();

        Assert.Equal(kinds.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Matches("^[a-z]+(_[a-z]+)?$", name));
        Assert.Equal(kinds, names.Select(IncidentEventKindNames.Parse));
        Assert.Equal(
            [
                IncidentEventKind.Opened, IncidentEventKind.Updated, IncidentEventKind.Acknowledged, IncidentEventKind.Resolved, IncidentEventKind.Reopened,
                IncidentEventKind.Closed, IncidentEventKind.Noted, IncidentEventKind.Correlated, IncidentEventKind.Merged, IncidentEventKind.Escalated,
                IncidentEventKind.Breached, IncidentEventKind.StormStarted, IncidentEventKind.StormEnded, IncidentEventKind.Assigned,
                IncidentEventKind.Updated, IncidentEventKind.CustomerNote, IncidentEventKind.CustomerUpdate, IncidentEventKind.SlaCorrected,
            ],
            Enum.GetValues<TimelineKind>().Select(IncidentEventKindNames.Of));
        Assert.Equal(
            ["opened", "updated", "correlated", "merged", "acknowledged", "escalated", "breached", "maintenance_started", "maintenance_ended",
             "flapping_started", "flapping_stopped", "resolved", "reopened", "closed", "storm_started", "storm_ended", "noted",
             "assigned", "customer_note", "customer_update", "sla_corrected"],
            names);
    }

    private void At(long second, params Notification[] notifications)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(Records.T0 + second);
        var plan = new CommitPlan();
        _decider.ApplyTimers(now, plan);
        foreach (var n in notifications)
        {
            var record = Records.Bytes(n);
            var fields = Records.Parse(record);
            _decider.Apply(record, in fields, now, knownApplied: false, plan);
        }

        plan.Seal();
        _events.AddRange(plan.IncidentEvents);
        _timeline.AddRange(plan.Timeline);
    }
}
