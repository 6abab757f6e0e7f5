using System.Runtime.InteropServices;
using Helpdesk.Monitoring.Diagnostics;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// Writes a file so that after a crash it is either absent or complete: write a temporary file, fsync it, rename it
/// into place, fsync the directory (the rename itself is only durable once the directory is synced).
/// </summary>
public static partial class DurableFile
{
    /// <summary>0640: the group (Nagios' user and the service's user share it) reads what the owner wrote.</summary>
    public const UnixFileMode SharedFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>2770: the group creates, reads and deletes entries; new entries inherit the folder's group.</summary>
    public const UnixFileMode SharedDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.SetGroup;

    /// <param name="replace">Replace a file already at <paramref name="finalPath"/> (atomically: readers see the old file or the new one).</param>
    /// <param name="group">A group id to give the file before it is in place (-1: the creator's), so that a reader in that group never sees it without access.</param>
    public static void Write(string temporaryDirectory, string finalPath, ReadOnlySpan<byte> content, bool replace = false, long group = -1)
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
                // The umask (077 is common for daemons) applies to the mode given at creation, not to fchmod.
                File.SetUnixFileMode(stream.SafeFileHandle, SharedFileMode);
                if (group >= 0)
                {
                    UnixStat.TrySetGroup(stream.SafeFileHandle, group);
                }

                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            CrashPoint.Reach(CrashPoint.DurableWriteBeforeRename);
            File.Move(temporary, finalPath, overwrite: replace);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        CrashPoint.Reach(CrashPoint.DurableWriteBeforeDirectorySync);
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
