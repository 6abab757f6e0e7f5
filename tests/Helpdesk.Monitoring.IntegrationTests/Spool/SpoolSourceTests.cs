using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.Json;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Tests;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Spool;

/// <summary>
/// The spool reader against hostile entries in incoming/, on a real file system: each is set aside with a reason
/// while the record behind it is still read, and none blocks, crashes, or reads outside the spool.
/// </summary>
public sealed class SpoolSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SpoolPaths _paths;
    private readonly DeadLetterDirectory _deadLetters;

    public SpoolSourceTests()
    {
        _paths = new SpoolPaths(_dir.Combine("spool")).EnsureExists();
        _deadLetters = new DeadLetterDirectory(_dir.Combine("dead-letter"));
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> HostileEntries => new()
    {
        "symlink to /etc/passwd", "symlink to /dev/zero", "dangling symlink", "fifo", "directory", "1 GiB file", "2 GiB file", "foreign name",
    };

    [Theory]
    [MemberData(nameof(HostileEntries))]
    public async Task A_hostile_entry_is_set_aside_with_its_reason_and_the_record_after_it_is_read(string kind)
    {
        // Named to sort first: the reader meets it before the valid record.
        var hostile = Path.Combine(_paths.Incoming, kind == "foreign name" ? "000000000000-hostile.txt" : "000000000000-hostile.json");
        Make(kind, hostile);
        var valid = Records.Service(NotificationType.Problem, timeT: Records.T0);
        await File.WriteAllBytesAsync(Path.Combine(_paths.Incoming, SpoolFileName.For(valid.TimeT, valid.EventId)), Records.Bytes(valid));

        var read = await ReadOne();

        Assert.Equal(valid.EventId, read.EventId);
        Assert.False(Path.Exists(hostile), "the hostile entry is still in incoming/");
        Assert.True(Path.Exists(Path.Combine(_paths.Quarantine, Path.GetFileName(hostile))), "the hostile entry was not moved to quarantine/");
        var letter = JsonDocument.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_dir.Combine("dead-letter"), "*.json")))).RootElement;
        Assert.Equal("unusable_entry", letter.GetProperty("reason").GetString());
        Assert.Equal("spool", letter.GetProperty("source").GetString());
        Assert.Contains(Reason(kind), letter.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Nothing of what a link pointed at was copied anywhere.
        Assert.Equal("", letter.GetProperty("payload").GetString());
        if (kind == "symlink to /etc/passwd")
        {
            Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(_paths.Quarantine, Path.GetFileName(hostile))).LinkTarget);
        }
    }

    [Fact]
    public async Task Backlog_counts_every_file_waiting_even_past_the_read_ahead_bound()
    {
        for (var i = 0; i < 5; i++)
        {
            var n = Records.Service(NotificationType.Problem, host: "h" + i, timeT: Records.T0 + i);
            await File.WriteAllBytesAsync(Path.Combine(_paths.Incoming, SpoolFileName.For(n.TimeT, n.EventId)), Records.Bytes(n));
        }

        var source = Source(maxInFlight: 2);
        var taken = await source.Notifications.Take(2).ToList().ToTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, taken.Count);
        Assert.Equal(5, source.Backlog);
    }

    [Fact]
    public async Task The_reader_holds_at_most_its_read_ahead_bound_of_records_that_are_not_committed()
    {
        for (var i = 0; i < 5; i++)
        {
            var n = Records.Service(NotificationType.Problem, host: "h" + i, timeT: Records.T0 + i);
            await File.WriteAllBytesAsync(Path.Combine(_paths.Incoming, SpoolFileName.For(n.TimeT, n.EventId)), Records.Bytes(n));
        }

        var read = new List<InboundNotification>();
        using var subscription = Source(maxInFlight: 2).Notifications.Subscribe(item => { lock (read) { read.Add(item); } });
        await Until(() => Count() == 2);

        // Nothing committed: however often the reader looks (every 50 ms here), it takes no third record.
        for (var look = 0; look < 10; look++)
        {
            await Task.Delay(50);
            Assert.Equal(2, Count());
        }

        // One committed gives back one place.
        lock (read)
        {
            read[0].Receipt.Committed(ApplyOutcome.Opened);
        }

        await Until(() => Count() == 3);

        int Count()
        {
            lock (read)
            {
                return read.Count;
            }
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "not reached in 10 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Committed_files_give_back_their_read_ahead_room_so_a_backlog_past_the_bound_drains()
    {
        for (var i = 0; i < 7; i++)
        {
            var n = Records.Service(NotificationType.Problem, host: "h" + i, timeT: Records.T0 + i);
            await File.WriteAllBytesAsync(Path.Combine(_paths.Incoming, SpoolFileName.For(n.TimeT, n.EventId)), Records.Bytes(n));
        }

        // Each record is committed as it arrives (as the pipeline does): the reader never holds more than two unsettled.
        var read = await Source(maxInFlight: 2).Notifications
            .Do(item => item.Receipt.Committed(ApplyOutcome.Opened))
            .Take(7).ToList().ToTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Enumerable.Range(0, 7).Select(i => "h" + i), read.Select(r => NotificationDecoder.Decode(r.Record.Span, in r.Fields).Host));
        Assert.Empty(Directory.GetFileSystemEntries(_paths.Incoming));
    }

    [Fact]
    public async Task A_committed_or_abandoned_record_makes_room_at_once_although_the_poll_interval_is_long()
    {
        for (var i = 0; i < 3; i++)
        {
            var n = Records.Service(NotificationType.Problem, host: "h" + i, timeT: Records.T0 + i);
            await File.WriteAllBytesAsync(Path.Combine(_paths.Incoming, SpoolFileName.For(n.TimeT, n.EventId)), Records.Bytes(n));
        }

        // One record in flight at a time and no poll for an hour: only giving the place back wakes the reader.
        var read = new System.Collections.Concurrent.ConcurrentQueue<InboundNotification>();
        using var running = Source(maxInFlight: 1, poll: TimeSpan.FromHours(1)).Notifications.Subscribe(read.Enqueue);
        await Until(() => read.Count == 1, "the first record");
        read.First().Receipt.Committed(ApplyOutcome.Opened);
        await Until(() => read.Count == 2, "the record after a commit");

        // Abandoned (not taken): it is read again, at once.
        read.Last().Receipt.Abandoned();
        await Until(() => read.Count == 3, "the abandoned record again");
        Assert.Equal(["h0", "h1", "h1"], read.Select(r => NotificationDecoder.Decode(r.Record.Span, in r.Fields).Host));
    }

    [Fact]
    public async Task Temporary_files_a_killed_writer_left_behind_are_removed_once_old()
    {
        var abandoned = Path.Combine(_paths.Temporary, "abandoned.tmp");
        var fresh = Path.Combine(_paths.Temporary, "fresh.tmp");
        await File.WriteAllTextAsync(abandoned, "{\"v\":1,");
        await File.WriteAllTextAsync(fresh, "{\"v\":1,");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-1));
        var valid = Records.Service(NotificationType.Problem);
        await File.WriteAllBytesAsync(Path.Combine(_paths.Incoming, SpoolFileName.For(valid.TimeT, valid.EventId)), Records.Bytes(valid));

        await ReadOne();

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(fresh), "a temporary file being written now must never be removed");
    }

    [Fact]
    public async Task A_new_file_wakes_the_reader_at_once_although_the_poll_interval_is_long()
    {
        var source = Source(poll: TimeSpan.FromHours(1));
        var first = source.Notifications.Take(1).ToTask();

        // Let the reader list the empty folder and go to sleep, then write the way notify does (tmp, then rename).
        await Task.Delay(300);
        var n = Records.Service(NotificationType.Problem);
        new SpoolWriter(_paths).Enqueue(Records.Bytes(n), n.TimeT, n.EventId);

        Assert.Equal(n.EventId, (await first.WaitAsync(TimeSpan.FromSeconds(10))).EventId);
    }

    [Fact]
    public async Task Housekeeping_counts_the_set_aside_folders_and_removes_abandoned_temporaries_every_half_minute()
    {
        File.WriteAllText(Path.Combine(_paths.Rejected, "a.json"), "{}");
        File.WriteAllText(Path.Combine(_paths.Rejected, "b.json"), "{}");
        File.WriteAllText(Path.Combine(_paths.Rejected, "notes.txt"), "not a refused input");
        File.WriteAllText(Path.Combine(_paths.Quarantine, "odd"), "");
        var abandoned = Path.Combine(_paths.Temporary, "x.tmp");
        var recent = Path.Combine(_paths.Temporary, "y.tmp");
        File.WriteAllText(abandoned, "");
        File.WriteAllText(recent, "");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        File.SetLastWriteTimeUtc(abandoned, time.GetUtcNow().UtcDateTime.AddMinutes(-11));
        var source = new SpoolSource(_paths, _deadLetters, new SpoolOptions { PollInterval = TimeSpan.FromSeconds(1), AbandonedTemporaryAge = TimeSpan.FromMinutes(10) },
            time, (_, _) => { });

        using var running = source.Notifications.Subscribe(_ => { });
        await Until(() => source.RejectedFiles == 2 && source.QuarantinedFiles == 1, "the first count");
        Assert.False(File.Exists(abandoned), "an abandoned temporary was kept");
        Assert.True(File.Exists(recent), "a temporary still being written was removed");

        // Counted again only after half a minute: each poll before that leaves the count as it was.
        File.WriteAllText(Path.Combine(_paths.Rejected, "c.json"), "{}");
        for (var second = 0; second < 29; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.Equal(2, source.RejectedFiles);
        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => source.RejectedFiles == 3, "the count after half a minute");
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), what + " never came");
            await Task.Delay(10);
        }
    }

    private async Task<InboundNotification> ReadOne()
    {
        var source = Source();
        var item = await source.Notifications.Take(1).ToTask().WaitAsync(TimeSpan.FromSeconds(10));
        item.Receipt.Committed(ApplyOutcome.Opened);
        return item;
    }

    private SpoolSource Source(int maxInFlight = 100, TimeSpan? poll = null) =>
        new(_paths, _deadLetters, new SpoolOptions { MaxInFlight = maxInFlight, PollInterval = poll ?? TimeSpan.FromMilliseconds(50) }, TimeProvider.System, (_, _) => { });

    private static void Make(string kind, string path)
    {
        switch (kind)
        {
            case "symlink to /etc/passwd":
                File.CreateSymbolicLink(path, "/etc/passwd");
                break;
            case "symlink to /dev/zero":
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case "dangling symlink":
                File.CreateSymbolicLink(path, "/nonexistent/helpdesk-target");
                break;
            case "fifo":
                using (var mkfifo = Process.Start("mkfifo", [path]))
                {
                    mkfifo.WaitForExit();
                    Assert.Equal(0, mkfifo.ExitCode);
                }

                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "1 GiB file":
                Sparse(path, (1L << 30) + 1);
                break;
            case "2 GiB file":
                Sparse(path, (2L << 30) + 1);
                break;
            case "foreign name":
                File.WriteAllText(path, "not from notify");
                break;
        }
    }

    // A sparse file: as large as the attack needs, without using the disk.
    private static void Sparse(string path, long length)
    {
        using var file = File.Create(path);
        file.SetLength(length);
    }

    private static string Reason(string kind) => kind switch
    {
        "symlink to /etc/passwd" or "symlink to /dev/zero" or "dangling symlink" => "symbolic link",
        "fifo" => "it is a FIFO, not a regular file",
        "directory" => "it is a directory, not a regular file",
        "1 GiB file" => "it is 1073741825 bytes, more than the 65536-byte limit of a record",
        "2 GiB file" => "it is 2147483649 bytes, more than the 65536-byte limit of a record",
        _ => "does not end in .json",
    };
}
