using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Helpdesk.Monitoring.People;

/// <summary>
/// How credentials are made, kept and checked. API tokens are 256 random bits, so one SHA-256 is enough to keep them
/// (nothing to guess); passwords are chosen by people, so they are kept with PBKDF2-HMAC-SHA256 at 600,000 iterations
/// (OWASP's figure for it) and a random salt. The iteration count is part of what is kept, so it can be raised later
/// without breaking existing passwords.
/// </summary>
public static class Credentials
{
    public const string TokenPrefix = "hdt_";
    public const int PasswordIterations = 600_000;
    public const int MinPasswordLength = 12;
    private const string PasswordScheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A new API token: shown once to its owner, never stored as is.</summary>
    public static string NewToken() => TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is kept of a token: "sha256:" and the hash in hex.</summary>
    public static string HashToken(string token) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A short, stable name for a token (from its hash), for lists and for revoking it.</summary>
    public static string TokenId(string tokenHash) => tokenHash.Length >= 15 ? tokenHash[7..15] : tokenHash;

    public static string HashPassword(string password) => HashPassword(password, RandomNumberGenerator.GetBytes(SaltBytes), PasswordIterations);

    public static string HashPassword(string password, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{PasswordScheme}${iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="password"/> is the one kept as <paramref name="stored"/>; false for anything malformed.</summary>
    public static bool VerifyPassword(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != PasswordScheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Whether a stored password hash is one this service can check.</summary>
    public static bool IsPasswordHash(string stored) => stored.Split('$') is [PasswordScheme, _, _, _];

    /// <summary>Whether a stored token hash has the form <see cref="HashToken"/> makes.</summary>
    public static bool IsTokenHash(string stored) =>
        stored.Length == 71 && stored.StartsWith("sha256:", StringComparison.Ordinal) && stored.AsSpan(7).IndexOfAnyExcept(LowerHex) < 0;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// A short digest of everything the user can sign in with: a session remembers it, so changing the password or
    /// revoking a token ends the sessions made before.
    /// </summary>
    public static string Stamp(User user)
    {
        var material = user.PasswordHash + "|" + string.Join("|", user.Tokens.Select(t => t.Hash)) + "|" + UserRoles.Of(user.Role);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..16];
    }
}
