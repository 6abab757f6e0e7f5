using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// An exclusive lock for a file that several processes read, change and write back (the users file). Without it two
/// <c>helpdesk users</c> run at once each write back what they read, and one change is lost without a word: a token
/// revoked by one comes back with the other's new person. The lock is a file of its own beside it, <c>.NAME.lock</c>,
/// as the shadow tools keep <c>/etc/.pwd.lock</c>: the file itself is replaced at every write, so a lock on it would
/// be on a file no longer there. flock(2) waits until the lock is free; the kernel lets it go when its holder ends,
/// however it ends.
/// </summary>
public sealed partial class FileLock : IDisposable
{
    private const int ReadWrite = 0x2;
    private const int Create = 0x40;
    private const int CloseOnExec = 0x80000;
    private const int Exclusive = 2;

    private readonly SafeFileHandle _handle;

    private FileLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>The lock file that guards <paramref name="path"/>.</summary>
    public static string PathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.lock");
    }

    /// <summary>Waits for the lock of <paramref name="path"/> and holds it until disposed; IOException when it cannot be taken.</summary>
    public static FileLock Take(string path)
    {
        var lockPath = PathFor(path);
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);

        // Never through a link (someone could point it at a file of theirs); readable by its owner only, and empty.
        var fd = Open(lockPath, ReadWrite | Create | CloseOnExec | NoFollow, Convert.ToInt32("600", 8));
        if (fd < 0)
        {
            throw new IOException($"cannot open the lock file {lockPath}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Flock(fd, Exclusive) != 0)
        {
            var reason = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            handle.Dispose();
            throw new IOException($"cannot lock {lockPath}: {reason}");
        }

        return new FileLock(handle);
    }

    public void Dispose() => _handle.Dispose();

    // open(2) flags differ between architectures: O_NOFOLLOW is 0x20000 on x86-64, 0x8000 on ARM64.
    private static int NoFollow => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
