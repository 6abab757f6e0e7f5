using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// The users file on disk: read by the service (again whenever it changes), written by <c>helpdesk users</c>. It holds
/// credential hashes, so it is read only when it is a regular file (not a link to somewhere else, not a FIFO) that
/// nobody outside its group can write, and written with mode 0640 in one atomic replace.
/// </summary>
public static class UsersFile
{
    private const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>The directory, an empty one when the file does not exist yet, or the sentences that say why it cannot be used.</summary>
    public static (UserDirectory? Directory, IReadOnlyList<string> Errors) Read(string path)
    {
        try
        {
            var mode = UnixStat.ModeOf(path);
            if (mode < 0)
            {
                return File.Exists(path) || Directory.Exists(path)
                    ? (null, [$"cannot read the users file {path}"])
                    : (UserDirectory.Empty, []);
            }

            // Checked before opening: opening a FIFO would wait for a writer, and a link could lead out of our folder.
            if ((mode & 0xF000) != 0x8000)
            {
                return (null, [$"{path} must be a regular file (not a link, a folder or a FIFO): it holds the credentials of everyone who signs in"]);
            }

            if ((mode & 0x2) != 0)
            {
                return (null, [$"{path} can be written by anyone: anyone could make themselves an administrator; run 'chmod o-w {path}'"]);
            }

            if (new FileInfo(path).Length > MaxBytes)
            {
                return (null, [$"{path} must be at most {MaxBytes / (1024 * 1024)} MiB"]);
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            using var reader = new StreamReader(stream);
            var (directory, errors) = UserDirectory.Parse(reader.ReadToEnd());
            return (directory, errors.Select(e => $"{path}: {e}").ToList());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, [$"cannot read the users file {path}: {ex.Message}"]);
        }
    }

    /// <summary>Replaces the file with <paramref name="directory"/>, atomically and durably.</summary>
    public static void Write(string path, UserDirectory directory)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        // Written by an administrator (often root), read by the service's user through the group: the new file keeps
        // the group the old one had, before it is in place, so the service never sees a file it cannot read.
        DurableFile.Write(folder, path, directory.ToJson(), replace: true, group: UnixStat.GroupOf(path));
    }

    /// <summary>When the file last changed (its modification time and size), to notice a new version cheaply.</summary>
    public static (DateTime Modified, long Length) Version(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }
}
