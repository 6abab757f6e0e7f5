using System.CommandLine;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// <c>helpdesk users</c>: the people who sign in to the board and act through the API. Changes the users file the
/// service reads (it notices within seconds); a new token is printed once and only its hash is kept.
/// </summary>
internal static class UsersCommand
{
    public const string DefaultUsersFile = "/etc/helpdesk/users.json";

    public static Command Create()
    {
        var file = new Option<string>("--users-file")
        {
            Description = $"The users file (default: $HELPDESK_USERS_FILE, else {DefaultUsersFile})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HELPDESK_USERS_FILE") is { Length: > 0 } env ? env : DefaultUsersFile,
            Recursive = true,
        };
        var name = new Argument<string>("NAME") { Description = "The user name (lower case: what the timeline records)" };
        var display = new Option<string>("--display-name") { Description = "How the board shows the person (default: the user name)" };
        var team = new Option<string>("--team") { Description = "The team the person works in (as the rules file routes to)" };
        var tier = new Option<string>("--tier") { Description = "L1, L2 or L3" };
        var role = new Option<string>("--role") { Description = "agent (default), lead or admin", DefaultValueFactory = _ => "agent" };
        role.AcceptOnlyFromAmong("agent", "lead", "admin");
        var label = new Option<string>("--label") { Description = "What the token is for (a laptop, a script)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (one line) instead of asking" };

        var add = new Command("add", "Add a person, with a first API token (printed once)") { name, display, team, tier, role, label };
        add.SetAction(p => Change(p.GetValue(file)!, users =>
        {
            var n = p.GetValue(name)!;
            if (!UserDirectory.IsValidName(n))
            {
                return Fail($"'{n}' is not a user name: {UserDirectory.NameRule}");
            }

            if (users.Find(n) is not null)
            {
                return Fail($"there is already a user '{n}': change them with 'helpdesk users set'");
            }

            var r = RoleOf(p.GetValue(role)!);
            var (user, token) = WithNewToken(new User(n, p.GetValue(display) ?? n, p.GetValue(team) ?? "", p.GetValue(tier) ?? "", r), p.GetValue(label) ?? "");
            Console.Error.WriteLine($"Added {n} ({UserRoles.Of(r)}). Their API token, shown this once (keep it; 'helpdesk users token {n}' makes another):");
            Console.WriteLine(token);
            return (users.With(user), 0);
        }));

        var set = new Command("set", "Change a person's display name, team, tier or role") { name, display, team, tier, role };
        set.SetAction(p => Change(p.GetValue(file)!, users =>
        {
            if (Find(users, p.GetValue(name)!) is not { } user)
            {
                return NoSuchUser(p.GetValue(name)!);
            }

            var r = RoleOf(p.GetValue(role)!);
            var changed = user with
            {
                DisplayName = p.GetValue(display) ?? user.DisplayName,
                Team = p.GetValue(team) ?? user.Team,
                Tier = p.GetValue(tier) ?? user.Tier,
                Role = p.GetResult(role) is { Implicit: false } ? r : user.Role,
            };
            Console.Error.WriteLine($"Changed {user.Name}.");
            return (users.With(changed), 0);
        }));

        var token = new Command("token", "Make another API token for a person (printed once)") { name, label };
        token.SetAction(p => Change(p.GetValue(file)!, users =>
        {
            if (Find(users, p.GetValue(name)!) is not { } user)
            {
                return NoSuchUser(p.GetValue(name)!);
            }

            var (changed, secret) = WithNewToken(user, p.GetValue(label) ?? "");
            Console.Error.WriteLine($"A new token for {user.Name} (id {changed.Tokens[^1].Id}), shown this once:");
            Console.WriteLine(secret);
            return (users.With(changed), 0);
        }));

        var tokenId = new Argument<string>("TOKEN-ID") { Description = "The token's id, as 'helpdesk users list' shows it, or 'all'" };
        var revoke = new Command("revoke", "Revoke a person's token (or all of them): sessions made with it end too") { name, tokenId };
        revoke.SetAction(p => Change(p.GetValue(file)!, users =>
        {
            if (Find(users, p.GetValue(name)!) is not { } user)
            {
                return NoSuchUser(p.GetValue(name)!);
            }

            var id = p.GetValue(tokenId)!;
            var kept = user.Tokens.Where(t => id != "all" && t.Id != id).ToList();
            if (kept.Count == user.Tokens.Count)
            {
                return Fail($"{user.Name} has no token '{id}'");
            }

            Console.Error.WriteLine($"Revoked {user.Tokens.Count - kept.Count} token(s) of {user.Name}.");
            return (users.With(user with { Tokens = kept }), 0);
        }));

        var password = new Command("password", "Set a person's password for the board (at least 12 characters)") { name, passwordStdin };
        password.SetAction(p =>
        {
            // Asked and hashed (about a second) before the file is locked: others' changes do not wait for someone typing.
            var (known, errors) = UsersFile.Read(p.GetValue(file)!);
            if (known is null)
            {
                return Report(errors);
            }

            if (Find(known, p.GetValue(name)!) is null)
            {
                return NoSuchUser(p.GetValue(name)!).Exit;
            }

            var secret = p.GetValue(passwordStdin) || Console.IsInputRedirected ? Console.In.ReadLine() ?? "" : AskTwice();
            if (secret is null)
            {
                return Fail("the two passwords differ; nothing changed").Exit;
            }

            if (secret.Length < Credentials.MinPasswordLength)
            {
                return Fail($"the password must be at least {Credentials.MinPasswordLength} characters").Exit;
            }

            var hash = Credentials.HashPassword(secret);
            return Change(p.GetValue(file)!, users =>
            {
                if (Find(users, p.GetValue(name)!) is not { } user)
                {
                    return NoSuchUser(p.GetValue(name)!);
                }

                Console.Error.WriteLine($"Password set for {user.Name}; their earlier board sessions have ended.");
                return (users.With(user with { PasswordHash = hash }), 0);
            });
        });

        var remove = new Command("remove", "Remove a person: their tokens and sessions stop working") { name };
        remove.SetAction(p => Change(p.GetValue(file)!, users =>
        {
            var n = p.GetValue(name)!;
            if (Find(users, n) is null)
            {
                return NoSuchUser(n);
            }

            Console.Error.WriteLine($"Removed {n}.");
            return (users.Without(n), 0);
        }));

        var list = new Command("list", "List the people, their roles and their tokens' ids (never a secret)");
        list.SetAction(p =>
        {
            var path = p.GetValue(file)!;
            var (users, errors) = UsersFile.Read(path);
            if (users is null)
            {
                return Report(errors);
            }

            Console.WriteLine($"{"NAME",-16} {"ROLE",-6} {"TIER",-4} {"TEAM",-14} {"PASSWORD",-8} TOKENS  DISPLAY NAME");
            foreach (var u in users.Users)
            {
                Console.WriteLine($"{u.Name,-16} {UserRoles.Of(u.Role),-6} {u.Tier,-4} {u.Team,-14} {(u.PasswordHash.Length > 0 ? "set" : "-"),-8} "
                    + $"{(u.Tokens.Count == 0 ? "-" : string.Join(",", u.Tokens.Select(t => t.Id))),-7} {u.DisplayName}");
            }

            return 0;
        });

        return new Command("users", "The people who sign in to the board and act on incidents") { file, add, set, token, revoke, password, remove, list };
    }

    private static (User, string) WithNewToken(User user, string label)
    {
        var secret = Credentials.NewToken();
        var hash = Credentials.HashToken(secret);
        return (user with { Tokens = [.. user.Tokens, new UserToken(Credentials.TokenId(hash), hash, TimeProvider.System.GetUtcNow(), label)] }, secret);
    }

    /// <summary>
    /// Reads the file, applies the change, writes the file back when the change succeeded; all under the file's lock, so
    /// that two commands run at once both count.
    /// </summary>
    private static int Change(string path, Func<UserDirectory, (UserDirectory? Changed, int Exit)> change)
    {
        FileLock held;
        try
        {
            held = FileLock.Take(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"helpdesk users: {ex.Message}");
            return 1;
        }

        using var _ = held;
        var (users, errors) = UsersFile.Read(path);
        if (users is null)
        {
            return Report(errors);
        }

        var (changed, exit) = change(users);
        if (changed is null || exit != 0)
        {
            return exit;
        }

        try
        {
            UsersFile.Write(path, changed);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"helpdesk users: cannot write {path}: {ex.Message}");
            return 1;
        }
    }

    // The option accepts only the three role names, so the parse cannot fail.
    private static UserRole RoleOf(string text) => UserRoles.TryParse(text, out var role) ? role : UserRole.Agent;

    private static User? Find(UserDirectory users, string name) => users.Find(name);

    private static (UserDirectory? Changed, int Exit) NoSuchUser(string name) => Fail($"there is no user '{name}' ('helpdesk users list' shows who there is)");

    private static (UserDirectory? Changed, int Exit) Fail(string message)
    {
        Console.Error.WriteLine("helpdesk users: " + message);
        return (null, 1);
    }

    private static int Report(IReadOnlyList<string> errors)
    {
        foreach (var error in errors)
        {
            Console.Error.WriteLine("helpdesk users: " + error);
        }

        return 1;
    }

    private static string? AskTwice()
    {
        var first = Ask("Password: ");
        return Ask("Again: ") == first ? first : null;
    }

    private static string Ask(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace && text.Length > 0)
            {
                text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return text.ToString();
    }
}
