using System.Diagnostics;
using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>Writing to Nagios' command FIFO: never hangs on a stopped Nagios, never writes anywhere but a FIFO.</summary>
public sealed class NagiosCommandFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> FifoAsync()
    {
        var path = _dir.Combine("nagios.cmd");
        var (exit, _, stderr) = await ExternalCommand.RunAsync("mkfifo", [path]);
        Assert.True(exit == 0, stderr);
        return path;
    }

    [Fact]
    public async Task A_fifo_nobody_reads_fails_at_once_with_a_sentence_instead_of_hanging()
    {
        var path = await FifoAsync();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<IOException>(() => NagiosCommandFile.WriteAsync(path, ["[1] X"], TimeSpan.FromSeconds(2), TimeProvider.System, default));

        Assert.Equal($"Nagios is not reading its command file {path}: is it running, with check_external_commands=1?", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Lines_reach_the_reader_whole_and_in_order()
    {
        var path = await FifoAsync();
        // Opened for reading and writing, as Nagios opens it, so the open does not wait for a writer.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.Asynchronous);

        await NagiosCommandFile.WriteAsync(path, ["[1] ACKNOWLEDGE_HOST_PROBLEM;a;2;1;0;x;y", "[1] ACKNOWLEDGE_HOST_PROBLEM;b;2;1;0;x;y"],
            TimeSpan.FromSeconds(2), TimeProvider.System, default);

        var buffer = new byte[4096];
        var read = await reader.ReadAsync(buffer);
        Assert.Equal("[1] ACKNOWLEDGE_HOST_PROBLEM;a;2;1;0;x;y\n[1] ACKNOWLEDGE_HOST_PROBLEM;b;2;1;0;x;y\n", System.Text.Encoding.UTF8.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task A_regular_file_a_link_or_a_missing_path_is_never_written_and_each_says_why()
    {
        var regular = _dir.Combine("not-a-fifo");
        await File.WriteAllTextAsync(regular, "keep me");
        var link = _dir.Combine("link.cmd");
        File.CreateSymbolicLink(link, await FifoAsync());

        var notFifo = await Assert.ThrowsAsync<IOException>(() => NagiosCommandFile.WriteAsync(regular, ["[1] X"], TimeSpan.FromSeconds(1), TimeProvider.System, default));
        var linked = await Assert.ThrowsAsync<IOException>(() => NagiosCommandFile.WriteAsync(link, ["[1] X"], TimeSpan.FromSeconds(1), TimeProvider.System, default));
        var missing = await Assert.ThrowsAsync<IOException>(() => NagiosCommandFile.WriteAsync(_dir.Combine("none"), ["[1] X"], TimeSpan.FromSeconds(1), TimeProvider.System, default));

        Assert.Equal($"{regular} is not a FIFO, so it is not Nagios' external command file (command_file in nagios.cfg); nothing was written to it", notFifo.Message);
        Assert.Equal("keep me", await File.ReadAllTextAsync(regular));
        Assert.Equal($"the Nagios command file {link} is a symbolic link: give the path of the FIFO itself", linked.Message);
        Assert.StartsWith($"the Nagios command file {_dir.Combine("none")} does not exist", missing.Message, StringComparison.Ordinal);
    }
}
