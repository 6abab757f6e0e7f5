using System.Security.Cryptography;
using System.Text;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>
/// The secret that signs sign-in sessions and the links sent to customers: from configuration, or made once and kept
/// in the data directory (mode 0600, beside the store). Each use gets its own key derived from it, so a customer's
/// link can never pass for a session.
/// </summary>
public sealed class SigningKey
{
    private readonly byte[] _root;

    private SigningKey(byte[] root) => _root = root;

    public static SigningKey FromBytes(byte[] root) => new(root);

    /// <summary>The configured key (base64), else the one kept at <paramref name="path"/>, made there the first time.</summary>
    public static SigningKey Load(string configured, string path)
    {
        if (configured.Length > 0)
        {
            return new SigningKey(Convert.FromBase64String(configured));
        }

        if (UnixStat.ModeOf(path) is var mode && mode >= 0)
        {
            if ((mode & 0xF000) != 0x8000)
            {
                throw new InvalidOperationException($"{path} must be a regular file (not a link or a FIFO): it holds the key that signs sessions");
            }

            var existing = File.ReadAllBytes(path);
            return existing.Length >= 32
                ? new SigningKey(existing)
                : throw new InvalidOperationException($"{path} holds fewer than 32 bytes: a cut-short key would sign weakly; remove it (everyone signs in again) and restart");
        }

        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var key = RandomNumberGenerator.GetBytes(32);
        var temporary = System.IO.Path.Combine(folder, $".session-key-{Guid.NewGuid():N}.tmp");
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }

        // Two instances starting at once on one data directory: the first key in place wins, the other reads it.
        try
        {
            File.Move(temporary, path, overwrite: false);
            DurableFile.SyncDirectory(folder);
            return new SigningKey(key);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return new SigningKey(File.ReadAllBytes(path));
        }
    }

    /// <summary>The key for one use (<c>"session"</c>, <c>"customer-link"</c>).</summary>
    public byte[] For(string purpose) => HMACSHA256.HashData(_root, Encoding.UTF8.GetBytes("helpdesk/" + purpose));
}
