using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// File facts from statx(2), whose buffer has one layout on every architecture (struct stat does not): the owner at
/// offset 20, the type and mode at 28, the size at 40.
/// </summary>
public static partial class UnixStat
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint Basic = 0x7ff;

    public static uint EffectiveUserId => GetEffectiveUserId();

    /// <summary>The type-and-mode bits and the size of an open descriptor; false with errno when it cannot be read.</summary>
    public static bool TryOfDescriptor(int fd, out int mode, out long size)
    {
        Span<byte> buffer = stackalloc byte[256];
        var ok = Statx(fd, "", AtEmptyPath, Basic, ref MemoryMarshal.GetReference(buffer)) == 0;
        mode = ok ? BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]) : 0;
        size = ok ? BinaryPrimitives.ReadInt64LittleEndian(buffer[40..]) : 0;
        return ok;
    }

    /// <summary>The type-and-mode bits of a path, read without following a link (so a link says it is one); -1 when it cannot be read.</summary>
    public static int ModeOf(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, Basic, ref MemoryMarshal.GetReference(buffer)) == 0
            ? BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..])
            : -1;
    }

    /// <summary>What kind of file the type bits of <paramref name="mode"/> say, in words for a sentence ("a FIFO").</summary>
    public static string KindOf(int mode) => (mode & 0xF000) switch
    {
        0x8000 => "a regular file",
        0x4000 => "a directory",
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        0xA000 => "a symbolic link",
        _ => "an unknown kind of file",
    };

    /// <summary>The type-and-mode bits and the size of what a path leads to, links followed; false when it cannot be read.</summary>
    public static bool TryOfTarget(string path, out int mode, out long size)
    {
        Span<byte> buffer = stackalloc byte[256];
        var ok = Statx(AtFdCwd, path, 0, Basic, ref MemoryMarshal.GetReference(buffer)) == 0;
        mode = ok ? BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]) : 0;
        size = ok ? BinaryPrimitives.ReadInt64LittleEndian(buffer[40..]) : 0;
        return ok;
    }

    /// <summary>The owner's user id, read without following a link; uint.MaxValue when it cannot be read.</summary>
    public static uint OwnerOf(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, Basic, ref MemoryMarshal.GetReference(buffer)) == 0
            ? BinaryPrimitives.ReadUInt32LittleEndian(buffer[20..])
            : uint.MaxValue;
    }

    /// <summary>The group id of a path, read without following a link; -1 when it cannot be read.</summary>
    public static long GroupOf(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        return Statx(AtFdCwd, path, AtSymlinkNoFollow, Basic, ref MemoryMarshal.GetReference(buffer)) == 0
            ? BinaryPrimitives.ReadUInt32LittleEndian(buffer[24..])
            : -1;
    }

    /// <summary>Gives an open file to a group (owner unchanged); false when not allowed (not root, not a member).</summary>
    public static bool TrySetGroup(Microsoft.Win32.SafeHandles.SafeFileHandle file, long group) =>
        Fchown((int)file.DangerousGetHandle(), uint.MaxValue, (uint)group) == 0;

    /// <summary>Gives an open file to a user and group; false when not allowed (not root).</summary>
    public static bool TrySetOwner(Microsoft.Win32.SafeHandles.SafeFileHandle file, uint owner, long group) =>
        Fchown((int)file.DangerousGetHandle(), owner, (uint)group) == 0;

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int Fchown(int fd, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
