using System.Buffers;
using System.Text.Json;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.People;

/// <summary>
/// The users file: every person who may sign in, by name and by token hash. Immutable: a change makes a new directory
/// (the CLI writes it; the service reads it again when the file changes).
/// </summary>
public sealed class UserDirectory
{
    /// <summary>A user name: what the timeline records and a person types, so short, lower case, no spaces.</summary>
    public const string NameRule = "1 to 64 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit";

    private const int MaxTextLength = 200;
    private readonly Dictionary<string, User> _byName;
    private readonly Dictionary<string, User> _byTokenHash;

    public UserDirectory(IEnumerable<User> users)
    {
        Users = [.. users.OrderBy(u => u.Name, StringComparer.Ordinal)];
        _byName = Users.ToDictionary(u => u.Name, StringComparer.Ordinal);
        _byTokenHash = new Dictionary<string, User>(StringComparer.Ordinal);
        foreach (var user in Users)
        {
            foreach (var token in user.Tokens)
            {
                _byTokenHash[token.Hash] = user;
            }
        }
    }

    public static UserDirectory Empty { get; } = new([]);

    public IReadOnlyList<User> Users { get; }

    public User? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The user a token belongs to, or null.</summary>
    public User? FindByToken(string token) =>
        token.StartsWith(Credentials.TokenPrefix, StringComparison.Ordinal) ? _byTokenHash.GetValueOrDefault(Credentials.HashToken(token)) : null;

    public UserDirectory With(User user) => new(Users.Where(u => u.Name != user.Name).Append(user));

    public UserDirectory Without(string name) => new(Users.Where(u => u.Name != name));

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterLower(name[0]) | char.IsAsciiDigit(name[0])
        && name.AsSpan().IndexOfAnyExcept(NameCharacters) < 0;

    private const int MaxDepth = 8;

    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>The users file's text, or the sentences that say what is wrong with it.</summary>
    public static (UserDirectory? Directory, IReadOnlyList<string> Errors) Parse(string json)
    {
        var errors = new List<string>();
        var users = new List<User>();
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("users", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return (null, ["the users file must be a JSON object with a \"users\" array"]);
            }

            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (ParseUser(item, $"users[{index}]", errors) is { } user)
                {
                    if (users.Any(u => u.Name == user.Name))
                    {
                        errors.Add($"users[{index}]: the user name '{user.Name}' is used twice");
                    }

                    users.Add(user);
                }

                index++;
            }
        }
        catch (JsonException ex)
        {
            return (null, [$"the users file is {JsonSyntax.Explain(ex, $"the users file nests at most {MaxDepth} levels")}"]);
        }

        return errors.Count > 0 ? (null, errors) : (new UserDirectory(users), []);
    }

    private static User? ParseUser(JsonElement item, string at, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: each user must be a JSON object");
            return null;
        }

        var before = errors.Count;
        Known(item, at, errors, UserProperties);
        var name = Text(item, "name", at, errors);
        if (!IsValidName(name))
        {
            errors.Add($"{at}: \"name\" must be {NameRule}");
        }

        var roleText = Text(item, "role", at, errors);
        if (!UserRoles.TryParse(roleText, out var role))
        {
            errors.Add($"{at}: \"role\" must be agent, lead or admin, not '{roleText}'");
        }

        var password = Text(item, "password", at, errors);
        if (password.Length > 0 && !Credentials.IsPasswordHash(password))
        {
            errors.Add($"{at}: \"password\" must be a hash made by 'helpdesk users password', never the password itself");
        }

        var tokens = new List<UserToken>();
        if (item.TryGetProperty("tokens", out var tokenList) && tokenList.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}: \"tokens\" must be an array of tokens made by 'helpdesk users token'");
        }
        else if (tokenList.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in tokenList.EnumerateArray())
            {
                if (token.ValueKind == JsonValueKind.Object)
                {
                    Known(token, $"{at}.tokens", errors, TokenProperties);
                }

                var hash = token.ValueKind == JsonValueKind.Object ? Text(token, "hash", at, errors) : "";
                if (!Credentials.IsTokenHash(hash))
                {
                    errors.Add($"{at}: every token must have a \"hash\" made by 'helpdesk users token', never the token itself");
                    continue;
                }

                var created = token.TryGetProperty("created", out var c) && c.TryGetDateTimeOffset(out var at2) ? at2 : DateTimeOffset.UnixEpoch;
                tokens.Add(new UserToken(Credentials.TokenId(hash), hash, created, Text(token, "label", at, errors)));
            }
        }

        return errors.Count > before
            ? null
            : new User(name, Text(item, "displayName", at, errors) is { Length: > 0 } display ? display : name, Text(item, "team", at, errors),
                Text(item, "tier", at, errors), role) { PasswordHash = password, Tokens = tokens };
    }

    private static readonly string[] UserProperties = ["name", "displayName", "team", "tier", "role", "password", "tokens"];

    private static readonly string[] TokenProperties = ["hash", "created", "label"];

    /// <summary>
    /// A property nobody reads is a mistake made by hand (a "tokns" list would lock its owner out without a word): named,
    /// with the one probably meant.
    /// </summary>
    private static void Known(JsonElement item, string at, List<string> errors, string[] names)
    {
        foreach (var property in item.EnumerateObject())
        {
            if (!names.Contains(property.Name, StringComparer.Ordinal))
            {
                var meant = NearestName.Of(property.Name, names) is { } nearest ? $" (did you mean {nearest}?)" : "";
                errors.Add($"{at}: \"{property.Name}\" is not something the users file knows{meant}");
            }
        }
    }

    private static string Text(JsonElement item, string property, string at, List<string> errors)
    {
        if (!item.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > MaxTextLength)
        {
            errors.Add($"{at}: \"{property}\" must be text of at most {MaxTextLength} characters");
            return "";
        }

        return value.GetString()!;
    }

    /// <summary>The directory as the users file keeps it (indented, so a diff of two versions reads well).</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("users");
            foreach (var u in Users)
            {
                w.WriteStartObject();
                w.WriteString("name", u.Name);
                w.WriteString("displayName", u.DisplayName);
                w.WriteString("team", u.Team);
                w.WriteString("tier", u.Tier);
                w.WriteString("role", UserRoles.Of(u.Role));
                w.WriteString("password", u.PasswordHash);
                w.WriteStartArray("tokens");
                foreach (var t in u.Tokens)
                {
                    w.WriteStartObject();
                    w.WriteString("hash", t.Hash);
                    w.WriteString("created", t.CreatedAt);
                    w.WriteString("label", t.Label);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
