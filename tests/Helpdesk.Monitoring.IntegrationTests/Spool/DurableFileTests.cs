using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Spool;

/// <summary>
/// The durable write behind every spool file and dead letter, seen from outside: the system calls it makes, in their
/// order, and what it leaves on disk when it cannot finish.
/// </summary>
public sealed class DurableFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public DurableFileTests()
    {
        Directory.CreateDirectory(Temporary);
        Directory.CreateDirectory(Final);
    }

    private string Temporary => _dir.Combine("tmp");

    private string Final => _dir.Combine("incoming");

    public void Dispose() => _dir.Dispose();

    [SyscallFact]
    public void The_file_is_synced_before_it_is_renamed_into_place_and_its_folder_is_synced_after()
    {
        var target = Path.Combine(Final, "000000000001-a.json");

        var calls = SyscallTrace.Of(() => DurableFile.Write(Temporary, target, "{}"u8), "fsync", "fdatasync", "rename", "renameat", "renameat2", "link", "linkat");

        // The temporary is synced while it still has its temporary name; the rename (or link) brings it into place;
        // only then is the folder synced, which makes the new name itself survive a power loss.
        var fileSync = calls.ToList().FindIndex(c => c.StartsWith("fsync(", StringComparison.Ordinal) && c.Contains(".tmp>", StringComparison.Ordinal));
        var intoPlace = calls.ToList().FindIndex(c => c.Contains(target, StringComparison.Ordinal) && !c.StartsWith("fsync", StringComparison.Ordinal));
        var folderSync = calls.ToList().FindIndex(c => c.StartsWith("fsync(", StringComparison.Ordinal) && c.Contains($"<{Final}>", StringComparison.Ordinal));
        Assert.True(fileSync >= 0, "the temporary file was never synced:\n" + string.Join('\n', calls));
        Assert.True(intoPlace > fileSync, "the file was not moved into place after its sync:\n" + string.Join('\n', calls));
        Assert.True(folderSync > intoPlace, "the folder was not synced after the file came into it:\n" + string.Join('\n', calls));
        Assert.Equal("{}", File.ReadAllText(target));
    }

    [Fact]
    public void A_write_never_replaces_a_file_already_there_and_leaves_no_temporary_behind()
    {
        // Names are unique by event id; a clash means the same record is there already, and it must stay as written.
        var target = Path.Combine(Final, "000000000001-a.json");
        File.WriteAllText(target, "first");

        Assert.ThrowsAny<IOException>(() => DurableFile.Write(Temporary, target, "second"u8));

        Assert.Equal("first", File.ReadAllText(target));
        Assert.Empty(Directory.GetFileSystemEntries(Temporary));
    }

    [Fact]
    public void Syncing_a_folder_holds_no_descriptor_afterwards()
    {
        var before = Directory.GetFileSystemEntries("/proc/self/fd").Length;

        for (var i = 0; i < 500; i++)
        {
            DurableFile.SyncDirectory(Final);
        }

        // Other tests open files meanwhile; 500 leaked descriptors would stand far above that noise.
        Assert.InRange(Directory.GetFileSystemEntries("/proc/self/fd").Length - before, int.MinValue, 100);
    }

    [Fact]
    public void Syncing_a_folder_that_is_gone_does_nothing()
    {
        DurableFile.SyncDirectory(_dir.Combine("absent"));
        Assert.False(Directory.Exists(_dir.Combine("absent")));
    }
}

/// <summary>Modes that must hold whatever the umask of the process writing: run alone, since the umask is process-wide.</summary>
[Collection(nameof(ProcessWideCollection))]
public sealed class DurableFileModeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Under_umask_077_a_written_file_is_still_readable_by_the_group()
    {
        Directory.CreateDirectory(_dir.Combine("tmp"));
        var target = _dir.Combine("record.json");
        using (new Umask(0x3F /* 077 */))
        {
            DurableFile.Write(_dir.Combine("tmp"), target, "{}"u8);
        }

        Assert.Equal(DurableFile.SharedFileMode, File.GetUnixFileMode(target));
    }

    [Fact]
    public void Under_umask_077_a_new_spool_folder_is_still_shared_with_the_group()
    {
        var root = _dir.Combine("spool");
        using (new Umask(0x3F /* 077 */))
        {
            new SpoolPaths(root).EnsureExists();
        }

        foreach (var folder in new[] { root, Path.Combine(root, "incoming"), Path.Combine(root, "tmp"), Path.Combine(root, "rejected"), Path.Combine(root, "quarantine") })
        {
            Assert.Equal(DurableFile.SharedDirectoryMode, File.GetUnixFileMode(folder));
        }
    }
}
