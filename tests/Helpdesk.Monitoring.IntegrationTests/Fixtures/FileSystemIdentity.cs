using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// Lets a test meet the permission errors an unprivileged service meets, in this process: setfsuid(2) changes the
/// file-system identity of the calling thread only (and drops root's override of file permissions for it), so a
/// synchronous action on this thread is checked as "nobody" would be while the rest of the process stays as it is.
/// </summary>
public static partial class FileSystemIdentity
{
    private const uint Nobody = 65534;

    public static T AsNobody<T>(Func<T> action)
    {
        var previous = SetFsUid(Nobody);
        try
        {
            return action();
        }
        finally
        {
            _ = SetFsUid(previous);
        }
    }

    [LibraryImport("libc", EntryPoint = "setfsuid")]
    private static partial uint SetFsUid(uint uid);
}

/// <summary>
/// The process's umask, set for one test. The umask belongs to the whole process, so tests that set it run in
/// <see cref="ProcessWideCollection"/>, alone.
/// </summary>
public sealed partial class Umask : IDisposable
{
    private readonly uint _previous;

    public Umask(uint mask) => _previous = SetUmask(mask);

    public void Dispose() => _ = SetUmask(_previous);

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint SetUmask(uint mask);
}

/// <summary>Tests that change something the whole process shares (its umask): run after the others, one at a time.</summary>
[CollectionDefinition(nameof(ProcessWideCollection), DisableParallelization = true)]
public sealed class ProcessWideCollection;
