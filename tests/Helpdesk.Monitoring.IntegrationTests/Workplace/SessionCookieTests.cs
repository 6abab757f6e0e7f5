using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.IntegrationTests.Workplace;

/// <summary>The board's session cookie and the loopback rule that decides whether reads need a sign-in.</summary>
public sealed class SessionCookieTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void A_session_holds_until_it_expires_or_its_credentials_change_and_cannot_be_forged()
    {
        var alice = new User("alice", "Alice", "network", "L1", UserRole.Agent) { Tokens = [new UserToken("x", Credentials.HashToken(Credentials.NewToken()), Now, "")] };
        var users = new UserDirectory([alice, new User("mallory", "M", "", "", UserRole.Admin)]);
        var sessions = new SessionCookie(SigningKey.FromBytes(new byte[32]), TimeSpan.FromHours(12));
        var cookie = sessions.Issue(alice, Now);

        Assert.Equal("alice", sessions.Verify(cookie, users, Now + TimeSpan.FromHours(11))?.Name);
        Assert.Null(sessions.Verify(cookie, users, Now + TimeSpan.FromHours(13)));
        Assert.Null(sessions.Verify(cookie.Replace("alice", "mallory", StringComparison.Ordinal), users, Now));
        Assert.Null(new SessionCookie(SigningKey.FromBytes(new byte[] { 1, 2, 3 }), TimeSpan.FromHours(12)).Verify(cookie, users, Now));
        Assert.Null(sessions.Verify(cookie, users.With(alice with { Role = UserRole.Admin }), Now));
        Assert.Null(sessions.Verify(cookie, users.With(alice with { Tokens = [] }), Now));
        Assert.Null(sessions.Verify(cookie, users.Without("alice"), Now));
        Assert.Equal("alice", sessions.Verify(cookie, users.With(alice with { DisplayName = "Alice S." }), Now)?.Name);
        Assert.Null(sessions.Verify("v1.alice.9999999999.stamp", users, Now));

        // A user name with dots in it keeps its session too.
        var dotted = new User("john.doe", "John", "", "", UserRole.Agent) { PasswordHash = Credentials.HashPassword("x", new byte[16], 1000) };
        Assert.Equal("john.doe", sessions.Verify(sessions.Issue(dotted, Now), new UserDirectory([dotted]), Now)?.Name);
    }

    [Fact]
    public void The_signing_key_is_made_once_kept_private_and_refused_when_cut_short()
    {
        using var dir = new Fixtures.TempDirectory();
        var path = dir.Combine("session.key");
        var first = SigningKey.Load("", path).For("session");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(first, SigningKey.Load("", path).For("session"));
        Assert.NotEqual(first, SigningKey.Load("", path).For("customer-link"));

        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("fewer than 32 bytes", Assert.Throws<InvalidOperationException>(() => SigningKey.Load("", path)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://127.0.0.1:8080;http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://10.1.2.3:8080", false)]
    [InlineData("http://127.0.0.1:8080;http://helpdesk.example.com:8080", false)]
    public void Reads_stay_open_only_on_loopback(string urls, bool loopbackOnly) => Assert.Equal(loopbackOnly, ListenAddresses.LoopbackOnly(urls));
}
