namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// A file system of its own and of a few MiB (tmpfs), mounted for one test, so that a disk can really fill up:
/// writes then fail with ENOSPC, as on a production disk that ran full.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallFileSystem> MountAsync(int mebibytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "helpdesk-small-fs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var (code, _, error) = await ExternalCommand.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={mebibytes}m,mode=0755", "tmpfs", path]);
        Assert.True(code == 0, $"mount -t tmpfs {path}: {error}");
        return new SmallFileSystem(path);
    }

    /// <summary>Takes every free byte, the way a runaway log would.</summary>
    public void Fill()
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Append);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                filler.Write(block);
                filler.Flush();
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }

    public void Free() => File.Delete(System.IO.Path.Combine(Path, "filler"));

    public void Dispose()
    {
        // Lazily: a process just stopped may still hold a file open on it for a moment.
        ExternalCommand.RunAsync("umount", ["-l", Path]).GetAwaiter().GetResult();
        Directory.Delete(Path, recursive: false);
    }

    /// <summary>Whether this machine lets the tests mount one (root with the right to mount).</summary>
    public static bool CanMount { get; } = Probe();

    private static bool Probe()
    {
        if (!SystemUsers.IsRoot)
        {
            return false;
        }

        try
        {
            using var probe = MountAsync(1).GetAwaiter().GetResult();
            return true;
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException or IOException)
        {
            return false;
        }
    }
}

/// <summary>A fact that fills a real disk: skipped, with the reason, where tmpfs cannot be mounted.</summary>
public sealed class SmallFileSystemFactAttribute : FactAttribute
{
    public SmallFileSystemFactAttribute()
    {
        if (!SmallFileSystem.CanMount)
        {
            Skip = "needs a small file system of its own to fill (mount -t tmpfs), which needs root with the right to mount; CI runs the suite as root";
        }
    }
}
