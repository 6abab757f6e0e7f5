using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>
/// What keeps an open incident's memory small (tens of thousands stay open in a storm): instants kept in 8 bytes that
/// read back as the same instants, and names shared between incidents, whether opened or rebuilt at start.
/// </summary>
public sealed class LiveStateSizeTests
{
    [Fact]
    public void A_compact_instant_reads_back_the_same_instant_or_none()
    {
        Assert.Null(CompactInstant.Of(null).Value);
        Assert.Null(default(CompactInstant).Value);
        foreach (var at in new[] { DateTimeOffset.MinValue, DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 11, 30, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(7), DateTimeOffset.MaxValue })
        {
            Assert.Equal(at.UtcTicks, CompactInstant.Of(at).Value!.Value.UtcTicks);
            Assert.Equal(at, CompactInstant.Of(at).Required);
        }

        // Kept in UTC: an instant given with an offset is the same instant, read back at +00:00.
        var local = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal(local, CompactInstant.Of(local).Value);
        Assert.Equal(TimeSpan.Zero, CompactInstant.Of(local).Required.Offset);
        Assert.Equal(CompactInstant.Of(local), CompactInstant.Of(local.ToUniversalTime()));
        Assert.NotEqual(CompactInstant.Of(local), CompactInstant.Of(local.AddTicks(1)));
        Assert.NotEqual(CompactInstant.Of(DateTimeOffset.MinValue), CompactInstant.Of(null));
    }

    [Fact]
    public void An_sla_keeps_every_part_it_is_given_and_compares_by_them()
    {
        var start = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var sla = new IncidentSla("24x7", start, start.AddMinutes(15), start.AddHours(4), true, false, null, 2);
        Assert.Equal(("24x7", start, start.AddMinutes(15), start.AddHours(4), true, false, (DateTimeOffset?)null, 2),
            (sla.Calendar, sla.StartedAt, sla.ResponseDueAt, sla.ResolutionDueAt, sla.ResponseBreached, sla.ResolutionBreached, sla.PausedAt, sla.Escalations));
        Assert.Equal(sla, new IncidentSla("24x7", start, start.AddMinutes(15), start.AddHours(4), true, false, null, 2));

        var paused = sla with { PausedAt = start.AddHours(1) };
        Assert.Equal(start.AddHours(1), paused.PausedAt);
        Assert.Equal(sla.ResolutionDueAt, paused.ResolutionDueAt);
        Assert.NotEqual(sla, paused);
        Assert.Equal(sla, paused with { PausedAt = null });
        Assert.Null(IncidentSla.None.StartedAt);
    }

    [Fact]
    public void A_name_table_gives_one_string_per_name_and_stays_bounded()
    {
        var names = new NameTable();
        var first = names.Share(new string("web01".AsSpan()));
        Assert.Same(first, names.Share(new string("web01".AsSpan())));
        Assert.NotSame(first, names.Share("web02"));
        Assert.Same("", names.Share(new string("".AsSpan())));

        // A flood of made-up names: the table starts again when full instead of growing.
        for (var i = 0; i < 200_000; i++)
        {
            Assert.Equal($"host{i}", names.Share($"host{i}"));
        }

        Assert.InRange(names.Count, 1, 1 << 16);
    }

    [Fact]
    public void A_hosts_services_share_its_names_when_opened_and_when_rebuilt_at_start()
    {
        var d = new DeciderDriver();
        for (var s = 0; s < 3; s++)
        {
            d.Apply(Records.Service(NotificationType.Problem, host: new string("db01".AsSpan()), service: $"Disk {s}") with { Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = new string("acme".AsSpan()) } });
        }

        AssertShared(d);
        var acknowledged = d.Incidents.Keys.Min();
        d.Apply(new AgentAction(Guid.CreateVersion7(), acknowledged, AgentActionKind.Acknowledge, "alice", "on it"));
        d.Restart();
        AssertShared(d);

        // What moved out of the hot state reads back as it was kept, for the incident that has it and one that has none.
        var state = d.Decider.LiveState(acknowledged);
        Assert.Equal(("alice", "on it"), (state.AcknowledgedBy, state.AcknowledgementComment));
        Assert.Equal(d.Incidents[acknowledged].AcknowledgedAt, state.AcknowledgedAt);
        var other = d.Decider.LiveState(d.Incidents.Keys.Max());
        Assert.Equal(("", "", (DateTimeOffset?)null), (other.AcknowledgedBy, other.AcknowledgementComment, other.AcknowledgedAt));
    }

    private static void AssertShared(DeciderDriver d)
    {
        var states = d.Incidents.Keys.Select(d.Decider.LiveState).ToList();
        Assert.Equal(3, states.Count);
        Assert.All(states, s => Assert.Same(states[0].Host, s.Host));
        Assert.All(states, s => Assert.Same(states[0].Instance, s.Instance));
        Assert.All(states, s => Assert.Same(states[0].Customer, s.Customer));
        Assert.Equal("acme", states[0].Customer);
    }
}
