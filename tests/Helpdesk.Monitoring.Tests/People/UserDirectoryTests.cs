using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.Tests.People;

/// <summary>The users file: credentials kept only as hashes, every mistake named, tokens found by their hash.</summary>
public sealed class UserDirectoryTests
{
    [Fact]
    public void Tokens_are_found_by_their_hash_and_never_kept_themselves()
    {
        var token = Credentials.NewToken();
        Assert.Matches("^hdt_[A-Za-z0-9_-]{43}$", token);
        var hash = Credentials.HashToken(token);
        var users = new UserDirectory([new User("alice", "Alice", "network", "L1", UserRole.Lead) { Tokens = [new UserToken(Credentials.TokenId(hash), hash, DateTimeOffset.UnixEpoch, "laptop")] }]);

        Assert.Equal("alice", users.FindByToken(token)?.Name);
        Assert.Null(users.FindByToken(Credentials.NewToken()));
        Assert.Null(users.FindByToken(hash));
        var json = System.Text.Encoding.UTF8.GetString(users.ToJson());
        Assert.DoesNotContain(token, json, StringComparison.Ordinal);

        var (read, errors) = UserDirectory.Parse(json);
        Assert.Empty(errors);
        Assert.Equal(("alice", "Alice", "network", "L1", UserRole.Lead, "laptop"),
            (read!.Users[0].Name, read.Users[0].DisplayName, read.Users[0].Team, read.Users[0].Tier, read.Users[0].Role, read.Users[0].Tokens[0].Label));
        Assert.Equal("alice", read.FindByToken(token)?.Name);
    }

    [Fact]
    public void Passwords_are_checked_against_their_pbkdf2_hash_and_anything_malformed_fails()
    {
        var stored = Credentials.HashPassword("correct horse battery", new byte[16], 1000);
        Assert.True(Credentials.VerifyPassword("correct horse battery", stored));
        Assert.False(Credentials.VerifyPassword("correct horse batterz", stored));
        Assert.NotEqual(Credentials.HashPassword("same"), Credentials.HashPassword("same"));
        Assert.StartsWith("pbkdf2-sha256$600000$", Credentials.HashPassword("x"), StringComparison.Ordinal);
        foreach (var broken in new[] { "", "plain", "pbkdf2-sha256$0$AA==$AA==", "pbkdf2-sha256$1000$not base64$AA==", "md5$1$AA==$AA==" })
        {
            Assert.False(Credentials.VerifyPassword("plain", broken), broken);
        }
    }

    [Fact]
    public void Every_mistake_in_the_users_file_is_named()
    {
        Assert.Contains("\"users\" array", Assert.Single(UserDirectory.Parse("""{"people": []}""").Errors), StringComparison.Ordinal);
        Assert.Equal("the users file is not valid JSON at line 1, byte 2: an object or array is not closed", Assert.Single(UserDirectory.Parse("{").Errors));
        Assert.Equal("the users file is not valid JSON at line 1, byte 13: The JSON array contains a trailing comma at the end, which is not allowed",
            Assert.Single(UserDirectory.Parse("{\"users\":[1,]}").Errors));
        var (directory, errors) = UserDirectory.Parse("""
            {"users": [
              {"name": "Alice Smith", "role": "agent"},
              {"name": "bob", "role": "boss"},
              {"name": "carol", "role": "admin", "password": "hunter2"},
              {"name": "dave", "role": "agent", "tokens": [{"hash": "hdt_plain"}]},
              {"name": "erin", "role": "agent"}, {"name": "erin", "role": "lead"}
            ]}
            """);
        Assert.Null(directory);
        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("users[0]: \"name\" must be", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "users[1]: \"role\" must be agent, lead or admin, not 'boss'");
        Assert.Contains(errors, e => e.Contains("never the password itself", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("never the token itself", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "users[5]: the user name 'erin' is used twice");

        // A property nobody reads, made by hand: a "tokns" list would lock its owner out without a word.
        Assert.Equal(
            [
                "users[0]: \"tokns\" is not something the users file knows (did you mean tokens?)",
                "users[1].tokens: \"lable\" is not something the users file knows (did you mean label?)",
                "users[2]: \"tokens\" must be an array of tokens made by 'helpdesk users token'",
            ],
            UserDirectory.Parse("""
                {"users": [
                  {"name": "frank", "role": "agent", "tokns": []},
                  {"name": "grace", "role": "agent", "tokens": [{"hash": "", "lable": "laptop"}]},
                  {"name": "heidi", "role": "agent", "tokens": "none"}
                ]}
                """).Errors.Where(e => !e.Contains("never the token itself", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_changed_credential_changes_the_stamp_sessions_are_bound_to()
    {
        var user = new User("alice", "Alice", "", "", UserRole.Agent) { PasswordHash = Credentials.HashPassword("one", new byte[16], 1000) };
        var stamp = Credentials.Stamp(user);
        Assert.Equal(stamp, Credentials.Stamp(user with { DisplayName = "Alice S." }));
        Assert.NotEqual(stamp, Credentials.Stamp(user with { PasswordHash = Credentials.HashPassword("two", new byte[16], 1000) }));
        Assert.NotEqual(stamp, Credentials.Stamp(user with { Role = UserRole.Admin }));
        Assert.NotEqual(stamp, Credentials.Stamp(user with { Tokens = [new UserToken("x", Credentials.HashToken(Credentials.NewToken()), DateTimeOffset.UnixEpoch, "")] }));
    }
}
