using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Spool;

/// <summary>
/// The spool's layout and names are a contract between two programs, often of different versions: `helpdesk notify` on
/// the Nagios server writes what the service reads. These tests pin it as the install guide describes it.
/// </summary>
public sealed class SpoolLayoutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_folders_are_incoming_tmp_rejected_and_quarantine_under_the_root()
    {
        var paths = new SpoolPaths(_dir.Combine("spool")).EnsureExists();

        Assert.Equal(
            ["incoming", "quarantine", "rejected", "tmp"],
            Directory.GetDirectories(paths.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            [_dir.Combine("spool/incoming"), _dir.Combine("spool/tmp"), _dir.Combine("spool/rejected"), _dir.Combine("spool/quarantine")],
            [paths.Incoming, paths.Temporary, paths.Rejected, paths.Quarantine]);
    }

    [Fact]
    public void A_file_name_is_the_twelve_digit_time_then_the_event_id_so_a_sorted_listing_is_oldest_first()
    {
        var id = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

        Assert.Equal("001732900000-0190a1b2c3d47e5f8a9b0c1d2e3f4a5b.json", SpoolFileName.For(1_732_900_000, id));
        Assert.True(string.CompareOrdinal(SpoolFileName.For(999_999_999, id), SpoolFileName.For(1_000_000_000, id)) < 0);
    }

    [Fact]
    public void A_folder_this_process_made_without_group_rights_gets_them_back()
    {
        var folder = _dir.Combine("spool");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        SpoolPaths.EnsureSharedDirectory(folder);

        Assert.Equal(DurableFile.SharedDirectoryMode, File.GetUnixFileMode(folder));
    }

    [RootFact]
    public void A_folder_another_user_owns_is_left_as_its_owner_set_it()
    {
        var folder = _dir.Combine("spool");
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(folder, ownerOnly);
        SystemUsers.Own(folder, "nobody", ownerOnly);

        SpoolPaths.EnsureSharedDirectory(folder);

        Assert.Equal(ownerOnly, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void The_owner_of_a_path_is_read_without_following_a_link()
    {
        var file = _dir.Combine("mine");
        File.WriteAllText(file, "x");
        var link = _dir.Combine("link-to-root-owned");
        File.CreateSymbolicLink(link, "/");

        Assert.Equal(UnixStat.EffectiveUserId, UnixStat.OwnerOf(file));
        Assert.Equal(UnixStat.EffectiveUserId, UnixStat.OwnerOf(link));
        Assert.Equal(uint.MaxValue, UnixStat.OwnerOf(_dir.Combine("absent")));
    }

    [Fact]
    public void A_descriptor_gives_its_file_type_and_size_and_a_closed_one_gives_nothing()
    {
        var file = _dir.Combine("seven");
        File.WriteAllText(file, "1234567");
        using var stream = File.OpenRead(file);

        Assert.True(UnixStat.TryOfDescriptor((int)stream.SafeFileHandle.DangerousGetHandle(), out var mode, out var size));
        Assert.Equal((0x8000, 7L), (mode & 0xF000, size));

        Assert.False(UnixStat.TryOfDescriptor(-1, out mode, out size));
        Assert.Equal((0, 0L), (mode, size));
    }
}
