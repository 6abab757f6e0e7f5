using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// The C library's heap, which SQLite allocates from. glibc gives threads their own malloc arenas (up to eight per
/// core) and rarely hands their freed pages back; with SQLite called from whichever thread-pool thread runs a read,
/// the service's resident memory crept up by about 4 MiB a minute in a half-hour soak while its managed heap stayed
/// flat. Two arenas keep it flat (the same as MALLOC_ARENA_MAX=2, without depending on the unit's environment).
/// </summary>
public static partial class NativeHeap
{
    private const int ArenaMaxOption = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>Limits glibc to <paramref name="arenas"/> malloc arenas; nothing elsewhere (another C library, another OS).</summary>
    public static void LimitArenas(int arenas = 2)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is { Length: > 0 })
        {
            return;
        }

        try
        {
            _ = Mallopt(ArenaMaxOption, arenas);
        }
        catch (EntryPointNotFoundException)
        {
            // A C library without mallopt (musl has none to speak of): it has no per-thread arenas to limit either.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int option, int value);
}
