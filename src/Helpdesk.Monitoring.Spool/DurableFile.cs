using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Spool;

/// <summary>
/// Writes a file so that after a crash it is either absent or complete: write a temporary file, fsync it, rename it
/// into place, fsync the directory (the rename itself is only durable once the directory is synced).
/// </summary>
public static partial class DurableFile
{
    public const UnixFileMode SharedFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public const UnixFileMode SharedDirectoryMode = SharedFileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.SetGroup;

    public static void Write(string temporaryDirectory, string finalPath, ReadOnlySpan<byte> content)
    {
        var temporary = Path.Combine(temporaryDirectory, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = SharedFileMode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, finalPath, overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(Path.GetDirectoryName(finalPath)!);
    }

    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(directory, 0);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
