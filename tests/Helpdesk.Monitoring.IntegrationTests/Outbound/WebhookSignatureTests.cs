using System.Text;
using Helpdesk.Monitoring.Outbound;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>The signature a receiver checks: over the timestamp and the exact body, with the channel's secret, recently.</summary>
public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"eventId":"0193a1b2-0000-8068-8064-000000000001","event":"opened"}""");
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_signature_is_the_timestamp_and_the_hmac_of_timestamp_dot_body()
    {
        var header = WebhookSignature.Sign("s3cret", Now.ToUnixTimeSeconds(), Body);

        // HMAC-SHA256("s3cret", "1795838400." + body), computed independently.
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("s3cret"));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash([.. Encoding.ASCII.GetBytes($"{Now.ToUnixTimeSeconds()}."), .. Body]));
        Assert.Equal($"t={Now.ToUnixTimeSeconds()},v1={expected}", header);
        Assert.True(WebhookSignature.Verify("s3cret", header, Body, Now.AddSeconds(30), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_changed_body_another_secret_an_old_timestamp_or_a_garbled_header_does_not_verify()
    {
        var header = WebhookSignature.Sign("s3cret", Now.ToUnixTimeSeconds(), Body);
        var changed = Body.ToArray();
        changed[^2] ^= 1;

        Assert.False(WebhookSignature.Verify("s3cret", header, changed, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("other", header, Body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret", header, Body, Now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret", "v1=zz,t=x", Body, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret", "", Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("https://hooks.example.com/in/abc?token=s3cret", "https://hooks.example.com/…")]
    [InlineData("https://contoso.webhook.office.com/webhookb2/0f1e2d3c-aaaa-bbbb-cccc-000000000000@1a2b3c4d-0000-1111-2222-333333333333/IncomingWebhook/5e6f7a8b9c/0d1e2f3a-4444-5555-6666-777777777777",
        "https://contoso.webhook.office.com/…")]
    [InlineData("https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cret",
        "https://prod-00.westeurope.logic.azure.com/…")]
    [InlineData("http://127.0.0.1:9000/", "http://127.0.0.1:9000")]
    [InlineData("not a url", "(invalid URL)")]
    public void A_receivers_url_is_shown_without_the_path_and_query_where_secrets_live(string url, string shown) =>
        Assert.Equal(shown, WebhookChannel.Redacted(url));
}
