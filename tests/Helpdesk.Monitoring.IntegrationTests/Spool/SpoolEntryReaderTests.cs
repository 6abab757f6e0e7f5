using System.Diagnostics;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Spool;

/// <summary>
/// The pieces of the spool reader on their own, on a real file system: reading one entry, removing abandoned
/// temporaries, and the dead-letter bounds' validation.
/// </summary>
public sealed class SpoolEntryReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_regular_file_within_the_limit_is_read_whole()
    {
        var path = _dir.Combine("record.json");
        File.WriteAllBytes(path, [1, 2, 3, 4]);

        var entry = SpoolEntryReader.Read(path, 4);

        Assert.Equal(SpoolEntryKind.Record, entry.Kind);
        Assert.Equal([1, 2, 3, 4], entry.Bytes);
    }

    [Fact]
    public void A_file_past_the_limit_by_one_byte_is_refused_with_its_size()
    {
        var path = _dir.Combine("big.json");
        File.WriteAllBytes(path, new byte[5]);

        var entry = SpoolEntryReader.Read(path, 4);

        Assert.Equal(SpoolEntryKind.Refused, entry.Kind);
        Assert.Equal("it is 5 bytes, more than the 4-byte limit of a record", entry.Reason);
    }

    [Fact]
    public void A_missing_entry_is_gone_not_refused()
    {
        Assert.Same(SpoolEntry.Gone, SpoolEntryReader.Read(_dir.Combine("nothing.json"), 100));
    }

    [Theory]
    [InlineData("link", "it is a symbolic link; the spool never follows links")]
    [InlineData("fifo", "it is a FIFO, not a regular file")]
    [InlineData("directory", "it is a directory, not a regular file")]
    public void What_is_not_a_regular_file_is_refused_saying_what_it_is(string kind, string reason)
    {
        var path = _dir.Combine("entry.json");
        switch (kind)
        {
            case "link":
                File.CreateSymbolicLink(path, "/etc/hostname");
                break;
            case "fifo":
                using (var mkfifo = Process.Start("mkfifo", [path]))
                {
                    mkfifo.WaitForExit();
                }

                break;
            default:
                Directory.CreateDirectory(path);
                break;
        }

        var entry = SpoolEntryReader.Read(path, 100);

        Assert.Equal((SpoolEntryKind.Refused, reason), (entry.Kind, entry.Reason));
        Assert.Null(entry.Bytes);
    }

    [Fact]
    public void A_file_the_service_may_not_read_is_refused_with_its_mode_and_what_to_do()
    {
        var path = _dir.Combine("000000000001-a.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.None);

        // As an unprivileged service user meets it (root would read it anyway).
        var entry = FileSystemIdentity.AsNobody(() => SpoolEntryReader.Read(path, 100));

        Assert.Equal(
            (SpoolEntryKind.Refused, "the service's user may not read it (mode 0000); give the spool's group read access, as `helpdesk notify` does"),
            (entry.Kind, entry.Reason));
    }

    [Fact]
    public void A_device_is_refused_saying_what_it_is()
    {
        var entry = SpoolEntryReader.Read("/dev/null", 100);
        Assert.Equal((SpoolEntryKind.Refused, "it is a character device, not a regular file"), (entry.Kind, entry.Reason));
    }

    [Fact]
    public void Only_temporaries_older_than_the_age_are_removed_and_counted()
    {
        var now = DateTimeOffset.UtcNow;
        var old = _dir.Combine("old.tmp");
        var fresh = _dir.Combine("fresh.tmp");
        var older = _dir.Combine("older.tmp");
        var oldest = _dir.Combine("oldest.tmp");
        var exactlyTheAge = _dir.Combine("edge.tmp");
        var other = _dir.Combine("old.json");
        foreach (var path in new[] { old, older, oldest, fresh, exactlyTheAge, other })
        {
            File.WriteAllText(path, "x");
        }

        File.SetLastWriteTimeUtc(old, now.UtcDateTime.AddMinutes(-11));
        File.SetLastWriteTimeUtc(older, now.UtcDateTime.AddDays(-1));
        File.SetLastWriteTimeUtc(oldest, now.UtcDateTime.AddDays(-30));
        File.SetLastWriteTimeUtc(other, now.UtcDateTime.AddMinutes(-11));
        File.SetLastWriteTimeUtc(fresh, now.UtcDateTime.AddMinutes(-9));
        File.SetLastWriteTimeUtc(exactlyTheAge, now.UtcDateTime.AddMinutes(-10));
        var logged = new List<string>();

        Assert.Equal(3, SpoolTemporaries.RemoveAbandoned(_dir.Path, now, TimeSpan.FromMinutes(10), (message, _) => logged.Add(message)));
        Assert.False(File.Exists(old));
        Assert.False(File.Exists(older));
        Assert.False(File.Exists(oldest));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(exactlyTheAge), "a temporary exactly the age old is not older than it");
        Assert.True(File.Exists(other), "only *.tmp files are temporaries");
        Assert.Empty(logged);
    }

    [Fact]
    public void A_missing_temporary_folder_is_logged_not_thrown()
    {
        var logged = new List<string>();
        Assert.Equal(0, SpoolTemporaries.RemoveAbandoned(_dir.Combine("absent"), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), (message, _) => logged.Add(message)));
        Assert.Equal([$"cannot list temporary files in {_dir.Combine("absent")}"], logged);
    }

    [Theory]
    [InlineData(1023, 1L << 30, 24, "DeadLetters:MaxPayloadBytes must be at least 1024")]
    [InlineData(1024, 4095, 24, "DeadLetters:MaxBytes must hold at least four letters of DeadLetters:MaxPayloadBytes")]
    [InlineData(1024, 4096, 0.5, "DeadLetters:Retention must be at least one hour")]
    [InlineData(1024, 4096, 1, null)]
    public void Dead_letter_bounds_are_validated_with_the_setting_named(int payload, long total, double retentionHours, string? error)
    {
        var limits = new DeadLetterLimits { MaxPayloadBytes = payload, MaxBytes = total, Retention = TimeSpan.FromHours(retentionHours) };
        Assert.Equal(error, limits.Validate());
    }
}
