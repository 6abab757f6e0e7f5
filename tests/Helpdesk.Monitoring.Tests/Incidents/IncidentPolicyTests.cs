using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Incidents;

/// <summary>The policy's own checks, each at its bound, and the rules file's lifecycle section taking effect.</summary>
public sealed class IncidentPolicyTests
{
    [Fact]
    public void The_defaults_are_valid_and_zero_durations_are_allowed()
    {
        Assert.Null(new IncidentPolicy().Validate());
        Assert.Null(new IncidentPolicy { VerificationHold = TimeSpan.Zero, FlapQuietPeriod = TimeSpan.Zero, ReopenWindow = TimeSpan.Zero, SeenEventCapacity = 1 }.Validate());
        Assert.Null(new IncidentPolicy { IdSlot = 2, IdSlots = 3 }.Validate());
    }

    [Fact]
    public void Each_setting_out_of_range_is_named()
    {
        var tick = TimeSpan.FromTicks(-1);
        Assert.Equal("VerificationHold must not be negative", new IncidentPolicy { VerificationHold = tick }.Validate());
        Assert.Equal("FlapQuietPeriod must not be negative", new IncidentPolicy { FlapQuietPeriod = tick }.Validate());
        Assert.Equal("ReopenWindow must not be negative", new IncidentPolicy { ReopenWindow = tick }.Validate());
        const string Slots = "IdSlot must be at least 0 and below IdSlots (at least 1)";
        Assert.Equal(Slots, new IncidentPolicy { IdSlots = 0, IdSlot = 0 }.Validate());
        Assert.Equal(Slots, new IncidentPolicy { IdSlot = -1 }.Validate());
        Assert.Equal(Slots, new IncidentPolicy { IdSlot = 3, IdSlots = 3 }.Validate());
        Assert.Equal("SeenEventCapacity must be at least 1", new IncidentPolicy { SeenEventCapacity = 0 }.Validate());
    }

    [Fact]
    public void The_rules_files_lifecycle_section_replaces_only_what_it_names()
    {
        var policy = new IncidentPolicy { ReopenWindow = TimeSpan.FromMinutes(1), FlapQuietPeriod = TimeSpan.FromMinutes(2), VerificationHold = TimeSpan.FromMinutes(3) };
        var all = policy.WithRules(new HelpdeskRules { Dedup = new LifecycleRules(TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3)) });
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3)), (all.ReopenWindow, all.FlapQuietPeriod, all.VerificationHold));

        var none = policy.WithRules(new HelpdeskRules { Dedup = new LifecycleRules(null, null, null) });
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3)), (none.ReopenWindow, none.FlapQuietPeriod, none.VerificationHold));
        Assert.Equal(policy.ReopenWindow, policy.WithRules(new HelpdeskRules()).ReopenWindow);
    }
}
