namespace Helpdesk.Monitoring.People;

/// <summary>
/// A person who works incidents: their user name (what the timeline records), how the board shows them, the team and
/// tier they work in, and what they may do. Credentials are kept hashed: a password hash and any number of API tokens.
/// </summary>
public sealed record User(string Name, string DisplayName, string Team, string Tier, UserRole Role)
{
    /// <summary>The password's hash (<see cref="Credentials.HashPassword"/>); empty when the person signs in with a token only.</summary>
    public string PasswordHash { get; init; } = "";

    public IReadOnlyList<UserToken> Tokens { get; init; } = [];
}

/// <summary>One API token of a user, as kept: its hash only. <see cref="Id"/> names it in lists and when revoking.</summary>
public sealed record UserToken(string Id, string Hash, DateTimeOffset CreatedAt, string Label);

/// <summary>What a user may do; each role may do everything the one before it may.</summary>
public enum UserRole : byte
{
    /// <summary>Acknowledge, take, note, resolve and reopen incidents.</summary>
    Agent = 1,

    /// <summary>Also give incidents to others and change their priority.</summary>
    Lead,

    /// <summary>Also send an outbound channel's dead deliveries again.</summary>
    Admin,
}

/// <summary>Role names as the users file, the API and the CLI spell them.</summary>
public static class UserRoles
{
    public static string Of(UserRole role) => role switch
    {
        UserRole.Lead => "lead",
        UserRole.Admin => "admin",
        _ => "agent",
    };

    public static bool TryParse(string text, out UserRole role)
    {
        role = text switch
        {
            "agent" => UserRole.Agent,
            "lead" => UserRole.Lead,
            "admin" => UserRole.Admin,
            _ => 0,
        };
        return role != 0;
    }
}
