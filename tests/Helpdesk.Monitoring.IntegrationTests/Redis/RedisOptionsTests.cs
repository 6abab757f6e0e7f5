using Helpdesk.Monitoring.Redis;

namespace Helpdesk.Monitoring.IntegrationTests.Redis;

/// <summary>A Redis configuration string the client cannot read is a configuration error at start, not a failure once running.</summary>
public sealed class RedisOptionsTests
{
    [Fact]
    public void A_configuration_string_the_client_cannot_read_is_refused_with_the_other_settings_and_the_password_is_not_repeated()
    {
        Assert.Empty(new RedisOptions { Configuration = "redis.example:6379,password=s3cret-value,ssl=true" }.Validate());
        Assert.Empty(new RedisOptions().Validate());

        var refused = Assert.Single(new RedisOptions { Configuration = "redis.example:6379,password=s3cret-value,ssl=sometimes" }.Validate());
        Assert.StartsWith("Helpdesk:Redis:Configuration cannot be used: ", refused, StringComparison.Ordinal);
        Assert.Contains("ssl", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", refused, StringComparison.Ordinal);
    }
}
