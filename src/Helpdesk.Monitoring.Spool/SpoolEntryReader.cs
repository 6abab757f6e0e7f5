using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Spool;

/// <summary>
/// Reads one spool entry the way a directory anyone in a group can write must be read: never through a link (the
/// entry is opened with O_NOFOLLOW), never blocking (O_NONBLOCK: a FIFO opens at once instead of waiting for a
/// writer), regular files only (checked on the open descriptor, so the entry cannot be swapped after the check), and
/// never more than the record limit plus one byte.
/// </summary>
public static partial class SpoolEntryReader
{
    private const int EACCES = 13;
    private const int ENOENT = 2;
    private const int ELOOP = 40;
    private const int EPERM = 1;
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>Opens and reads <paramref name="path"/>, or says why it is not a record file.</summary>
    public static SpoolEntry Read(string path, int maxBytes)
    {
        var fd = Open(path, ReadOnlyNoFollowNonBlocking, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                ENOENT => SpoolEntry.Gone,
                ELOOP => SpoolEntry.Refused("it is a symbolic link; the spool never follows links"),
                EACCES or EPERM => SpoolEntry.Refused(Unreadable(path)),
                _ => SpoolEntry.Retry($"cannot open it: {Marshal.GetPInvokeErrorMessage(errno)}"),
            };
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!UnixStat.TryOfDescriptor(fd, out var mode, out var size))
        {
            return SpoolEntry.Retry($"cannot inspect it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        if ((mode & FileTypeMask) != RegularFile)
        {
            return SpoolEntry.Refused($"it is {UnixStat.KindOf(mode)}, not a regular file");
        }

        if (size > maxBytes)
        {
            return SpoolEntry.Refused(string.Create(CultureInfo.InvariantCulture, $"it is {size} bytes, more than the {maxBytes}-byte limit of a record"));
        }

        // The file may still grow after the size was read: read at most one byte past the limit to notice.
        var buffer = new byte[(int)size + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0)
        {
            total += read;
        }

        return total > maxBytes
            ? SpoolEntry.Refused($"it grew past the {maxBytes}-byte limit of a record while it was read")
            : SpoolEntry.Record(buffer.AsSpan(0, total).ToArray());
    }

    private static string Unreadable(string path)
    {
        try
        {
            var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
            return $"the service's user may not read it (mode {mode}); give the spool's group read access, as `helpdesk notify` does";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "the service's user may not read it";
        }
    }

    // open(2) flags differ between architectures: O_NOFOLLOW is 0x20000 on x86-64, 0x8000 on ARM64.
    private static int ReadOnlyNoFollowNonBlocking =>
        0x800 /* O_NONBLOCK */ | 0x80000 /* O_CLOEXEC */ | (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);
}
