using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Files;

/// <summary>
/// The files the service reads but does not own (its rules and configuration files, Nagios' objects.cache and
/// status.dat): only regular files are opened, since a FIFO would hold the start until someone writes to it and a
/// device such as /dev/zero would be read for ever.
/// </summary>
public sealed class LocalFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Only_a_regular_file_of_a_bounded_size_is_read_and_a_link_to_one_is_ordinary()
    {
        var rules = _dir.Combine("rules.json");
        await File.WriteAllTextAsync(rules, """{ "version": 1 }""");
        File.CreateSymbolicLink(_dir.Combine("linked.json"), rules);
        var fifo = _dir.Combine("rules.fifo");
        var (made, _, error) = await ExternalCommand.RunAsync("mkfifo", [fifo]);
        Assert.True(made == 0, error);

        Assert.Null(LocalFiles.RefusalToRead(rules));
        Assert.Null(LocalFiles.RefusalToRead(_dir.Combine("linked.json")));
        Assert.Null(LocalFiles.RefusalToRead(_dir.Combine("missing.json")));
        Assert.Equal($"{fifo} is a FIFO, not a regular file", LocalFiles.RefusalToRead(fifo));
        Assert.Equal($"{_dir.Path} is a directory, not a regular file", LocalFiles.RefusalToRead(_dir.Path));
        Assert.Equal("/dev/zero is a character device, not a regular file", LocalFiles.RefusalToRead("/dev/zero"));

        // Each reader says so at once instead of waiting on the FIFO.
        Assert.NotNull(LocalFiles.ReadRules(rules).Rules);
        Assert.Equal([$"{fifo} is a FIFO, not a regular file"], LocalFiles.ReadRules(fifo).Errors);
        var cache = Assert.Throws<IOException>(() => LocalFiles.ReadTopology(fifo));
        Assert.Equal($"{fifo} is a FIFO, not a regular file", cache.Message);

        // A rules file is read whole: one far past what anyone writes by hand is refused (a sparse file, nothing written).
        var huge = _dir.Combine("huge.json");
        using (var file = File.Create(huge))
        {
            file.SetLength(17 * 1024 * 1024);
        }

        Assert.Equal([$"{huge} is 17 MiB, more than the 16 MiB such a file may be"], LocalFiles.ReadRules(huge).Errors);
    }
}
