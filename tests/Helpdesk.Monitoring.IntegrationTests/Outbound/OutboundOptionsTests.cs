using Helpdesk.Monitoring.Outbound;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>The delivery settings are checked at start, each mistake told by the setting that is wrong.</summary>
public sealed class OutboundOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(new OutboundOptions().Validate());
    }

    [Theory]
    [InlineData("00:00:00", "00:00:30", "Helpdesk:Outbound:SendTimeout must be positive (how long a receiver has to answer)")]
    [InlineData("-00:00:05", "00:00:30", "Helpdesk:Outbound:SendTimeout must be positive (how long a receiver has to answer)")]
    [InlineData("00:00:30", "00:00:30", "Helpdesk:Outbound:Lease must be longer than SendTimeout (a send must end before its claim lapses)")]
    [InlineData("00:01:00", "00:00:30", "Helpdesk:Outbound:Lease must be longer than SendTimeout (a send must end before its claim lapses)")]
    public void A_send_timeout_that_is_not_positive_is_told_as_such_and_a_lease_shorter_than_it_as_the_leases(string sendTimeout, string lease, string error)
    {
        var options = new OutboundOptions { SendTimeout = TimeSpan.Parse(sendTimeout, System.Globalization.CultureInfo.InvariantCulture), Lease = TimeSpan.Parse(lease, System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Equal([error], options.Validate());
    }
}
