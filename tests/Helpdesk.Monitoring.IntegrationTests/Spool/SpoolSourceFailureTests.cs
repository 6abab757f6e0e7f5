using System.Collections.Concurrent;
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
/// The spool reader when the file system says no: a folder it must move into is not a folder, the dead-letter area
/// cannot be written, a committed file cannot be deleted. Each time the entry is skipped and said once, and the
/// records after it are still read; nothing is lost and the reader never stops.
/// </summary>
public sealed class SpoolSourceFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SpoolPaths _paths;
    private readonly ConcurrentQueue<string> _log = new();

    public SpoolSourceFailureTests() => _paths = new SpoolPaths(_dir.Combine("spool")).EnsureExists();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_malformed_record_is_dead_lettered_with_its_reason_and_removed_from_incoming()
    {
        var malformed = Put("000000000001-malformed.json", "{\"v\":1,"u8.ToArray());
        var source = Source(new DeadLetterDirectory(_dir.Combine("dead-letter")));
        var valid = Records.Service(NotificationType.Problem, timeT: Records.T0);
        Put(SpoolFileName.For(valid.TimeT, valid.EventId), Records.Bytes(valid));

        Assert.Equal(valid.EventId, (await source.Notifications.Take(1).ToTask().WaitAsync(TimeSpan.FromSeconds(10))).EventId);

        Assert.False(File.Exists(malformed), "the malformed record is still in incoming/");
        var letter = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(_dir.Combine("dead-letter"), "*.json")))).RootElement;
        Assert.Equal("spool", letter.GetProperty("source").GetString());
        Assert.Equal("malformed_json", letter.GetProperty("reason").GetString());
        Assert.StartsWith("000000000001-malformed.json: ", letter.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("{\"v\":1,", letter.GetProperty("payload").GetString());
    }

    [Fact]
    public async Task A_malformed_record_that_cannot_be_dead_lettered_stays_in_incoming_and_is_said_once()
    {
        var deadLetters = new DeadLetterDirectory(_dir.Combine("dead-letter"));
        Directory.Delete(_dir.Combine("dead-letter/.tmp"));
        File.WriteAllText(_dir.Combine("dead-letter/.tmp"), "not a folder");
        var malformed = Put("000000000001-malformed.json", "{\"v\":1,"u8.ToArray());

        await ReadsOnAfter(Source(deadLetters));

        Assert.True(File.Exists(malformed), "a record that could not be dead-lettered was deleted: it would be lost");
        Assert.Single(_log, m => m.StartsWith($"cannot dead-letter spool file {malformed}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_entry_that_cannot_be_set_aside_stays_where_it_is_and_is_said_once()
    {
        Directory.Delete(_paths.Quarantine);
        File.WriteAllText(_paths.Quarantine, "not a folder");
        var fifo = Put("000000000001-fifo.json", null);

        await ReadsOnAfter(Source(new DeadLetterDirectory(_dir.Combine("dead-letter"))));

        Assert.True(Path.Exists(fifo), "the entry vanished although it could not be moved");
        Assert.Single(_log, m => m.StartsWith("spool entry 000000000001-fifo.json can never be a record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_entry_set_aside_under_a_name_quarantine_already_holds_keeps_both()
    {
        var source = Source(new DeadLetterDirectory(_dir.Combine("dead-letter")));
        File.WriteAllText(Path.Combine(_paths.Quarantine, "000000000001-odd.txt"), "set aside earlier");
        Put("000000000001-odd.txt", "{}"u8.ToArray());

        await ReadsOnAfter(source);

        Assert.Equal("set aside earlier", File.ReadAllText(Path.Combine(_paths.Quarantine, "000000000001-odd.txt")));
        var renamed = Assert.Single(Directory.GetFiles(_paths.Quarantine), f => Path.GetFileName(f) != "000000000001-odd.txt");
        Assert.Matches("^000000000001-odd\\.txt\\.[0-9a-f]{32}$", Path.GetFileName(renamed));
        Assert.Equal("{}", File.ReadAllText(renamed));
    }

    [Fact]
    public async Task A_committed_file_the_service_may_not_delete_is_said_once_and_never_read_again()
    {
        var source = Source(new DeadLetterDirectory(_dir.Combine("dead-letter")));
        var first = Records.Service(NotificationType.Problem, host: "first", timeT: Records.T0);
        var file = Put(SpoolFileName.For(first.TimeT, first.EventId), Records.Bytes(first));
        var read = new ConcurrentQueue<InboundNotification>();
        using var running = source.Notifications.Subscribe(read.Enqueue);
        await Until(() => read.Count == 1, "the first record");

        // The folder's group lost its write permission (a wrong install): the delete is refused.
        File.SetUnixFileMode(_paths.Incoming, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        try
        {
            Assert.True(read.TryPeek(out var item));
            FileSystemIdentity.AsNobody(() =>
            {
                item.Receipt.Committed(ApplyOutcome.Opened);
                return 0;
            });
        }
        finally
        {
            File.SetUnixFileMode(_paths.Incoming, DurableFile.SharedDirectoryMode);
        }

        Enqueue(Records.Service(NotificationType.Problem, host: "next", timeT: Records.T0 + 1));
        await Until(() => read.Count == 2, "the record after it");
        await Task.Delay(200);

        Assert.True(File.Exists(file));
        Assert.Equal(["first", "next"], read.Select(r => NotificationDecoder.Decode(r.Record.Span, in r.Fields).Host));
        Assert.Single(_log, m => m.StartsWith($"cannot delete committed spool file {file}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_set_aside_folder_that_cannot_be_counted_counts_as_empty_and_reading_goes_on()
    {
        Directory.Delete(_paths.Rejected);
        File.WriteAllText(_paths.Rejected, "not a folder");
        var source = Source(new DeadLetterDirectory(_dir.Combine("dead-letter")));

        await ReadsOnAfter(source);

        Assert.Equal(0, source.RejectedFiles);
    }

    /// <summary>Reads two records written one after the other, the second only after the first: at least two scans.</summary>
    private async Task ReadsOnAfter(SpoolSource source)
    {
        var read = new ConcurrentQueue<InboundNotification>();
        using var running = source.Notifications.Subscribe(item =>
        {
            read.Enqueue(item);
            item.Receipt.Committed(ApplyOutcome.Opened);
        });
        for (var i = 0; i < 2; i++)
        {
            var n = Records.Service(NotificationType.Problem, host: "after" + i, timeT: Records.T0 + 10 + i);
            Enqueue(n);
            await Until(() => read.Count == i + 1, "record " + i);
        }
    }

    // While the reader runs, records arrive as notify writes them (a temporary, then a rename), never half-written.
    private void Enqueue(Notification n) => new SpoolWriter(_paths).Enqueue(Records.Bytes(n), n.TimeT, n.EventId);

    private string Put(string name, byte[]? content)
    {
        var path = Path.Combine(_paths.Incoming, name);
        if (content is null)
        {
            using var mkfifo = Process.Start("mkfifo", [path]);
            mkfifo.WaitForExit();
        }
        else
        {
            File.WriteAllBytes(path, content);
        }

        return path;
    }

    private SpoolSource Source(DeadLetterDirectory deadLetters) =>
        new(_paths, deadLetters, new SpoolOptions { PollInterval = TimeSpan.FromMilliseconds(50) }, TimeProvider.System, (message, _) => _log.Enqueue(message));

    private static async Task Until(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), what + " never came");
            await Task.Delay(10);
        }
    }
}
