using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Spool;

/// <summary>The dead-letter folder's bounds, on a real file system: a flood of garbage cannot fill the disk.</summary>
public sealed class DeadLetterDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Letters_past_the_size_bound_are_dropped_and_counted()
    {
        var dropped = new List<string>();
        var letters = new DeadLetterDirectory(_dir.Path, new DeadLetterLimits { MaxPayloadBytes = 1024, MaxBytes = 16 * 1024 }) { OnDropped = dropped.Add };
        var written = Enumerable.Range(0, 50).Select(_ => letters.Write(Letter(new byte[1000]))).ToList();

        Assert.Contains(null, written);
        Assert.True(Directory.GetFiles(_dir.Path, "*.json").Sum(f => new FileInfo(f).Length) <= 16 * 1024);
        Assert.Equal(written.Count(w => w is null), letters.Dropped);
        Assert.Equal(letters.Dropped, dropped.Count);
        Assert.All(dropped, source => Assert.Equal("test", source));
    }

    [Fact]
    public void A_payload_past_its_bound_is_cut_and_the_letter_says_from_how_much()
    {
        var letters = new DeadLetterDirectory(_dir.Path, new DeadLetterLimits { MaxPayloadBytes = 1024 });
        var path = letters.Write(Letter(new byte[3 * 1024 * 1024]))!;

        var letter = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        Assert.Equal(1024, letter.GetProperty("payloadBase64").GetBytesFromBase64().Length);
        Assert.EndsWith("(payload cut from 3145728 to its first 1024 bytes)", letter.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Letters_older_than_the_retention_are_deleted_and_stop_counting_against_the_bound()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var letters = new DeadLetterDirectory(_dir.Path, new DeadLetterLimits { Retention = TimeSpan.FromDays(2) }, time);
        var old = letters.Write(Letter([1, 2, 3]))!;
        File.SetLastWriteTimeUtc(old, time.GetUtcNow().UtcDateTime.AddDays(-3));

        time.Advance(TimeSpan.FromMinutes(10));
        var recent = letters.Write(Letter([4, 5, 6]))!;

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.Equal(new FileInfo(recent).Length, letters.Bytes);
    }

    [Fact]
    public void A_letter_holds_source_reason_message_time_and_the_exact_payload()
    {
        var at = new DateTimeOffset(2026, 11, 29, 10, 0, 0, 123, TimeSpan.Zero);
        var letters = new DeadLetterDirectory(_dir.Path);
        var text = letters.Write(new DeadLetter("spool", RejectReason.MissingField, "field 'id' is required", "{\"v\":1}"u8.ToArray(), at))!;
        var binary = letters.Write(new DeadLetter("http", RejectReason.MalformedJson, "not JSON", new byte[] { 0xff, 0xfe, 0x00 }, at))!;

        Assert.Matches("^20261129T100000123-[0-9a-f]{32}\\.json$", Path.GetFileName(text));
        var letter = JsonDocument.Parse(File.ReadAllText(text)).RootElement;
        Assert.Equal("spool", letter.GetProperty("source").GetString());
        Assert.Equal("missing_field", letter.GetProperty("reason").GetString());
        Assert.Equal("field 'id' is required", letter.GetProperty("message").GetString());
        Assert.Equal(at, letter.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal("{\"v\":1}", letter.GetProperty("payload").GetString());
        Assert.Equal("{\"v\":1}"u8.ToArray(), letter.GetProperty("payloadBase64").GetBytesFromBase64());

        // Not UTF-8: base64 only, byte for byte.
        var raw = JsonDocument.Parse(File.ReadAllText(binary)).RootElement;
        Assert.False(raw.TryGetProperty("payload", out _));
        Assert.Equal(new byte[] { 0xff, 0xfe, 0x00 }, raw.GetProperty("payloadBase64").GetBytesFromBase64());
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, ".tmp")));
    }

    [Fact]
    public void A_payload_exactly_at_its_bound_is_kept_whole()
    {
        var letters = new DeadLetterDirectory(_dir.Path, new DeadLetterLimits { MaxPayloadBytes = 1024 });
        var letter = JsonDocument.Parse(File.ReadAllText(letters.Write(Letter(new byte[1024]))!)).RootElement;
        Assert.Equal("not JSON", letter.GetProperty("message").GetString());
        Assert.Equal(1024, letter.GetProperty("payloadBase64").GetBytesFromBase64().Length);
    }

    [Fact]
    public void A_letter_that_exactly_fills_the_bound_is_kept_and_the_next_is_dropped()
    {
        // Letters of one size (same payload, same time): the bound is exactly four of them.
        var at = DateTimeOffset.UtcNow;
        DeadLetter Same() => new("test", RejectReason.MalformedJson, "not JSON", new byte[1000], at);
        var size = new FileInfo(new DeadLetterDirectory(_dir.Combine("probe")).Write(Same())!).Length;

        var letters = new DeadLetterDirectory(_dir.Combine("bounded"), new DeadLetterLimits { MaxPayloadBytes = 1024, MaxBytes = 4 * size });
        Assert.All(Enumerable.Range(0, 4), _ => Assert.NotNull(letters.Write(Same())));
        Assert.Equal(4 * size, letters.Bytes);
        Assert.Null(letters.Write(Same()));
        Assert.Equal(1, letters.Dropped);
    }

    [Fact]
    public void The_folder_is_swept_at_most_every_five_minutes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var letters = new DeadLetterDirectory(_dir.Path, new DeadLetterLimits { Retention = TimeSpan.FromDays(2) }, time);
        letters.Write(Letter([1]));
        var old = letters.Write(Letter([2]))!;
        File.SetLastWriteTimeUtc(old, time.GetUtcNow().UtcDateTime.AddDays(-3));

        // Within five minutes of the last sweep nothing is deleted; at five minutes the old letter goes.
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        letters.Write(Letter([3]));
        Assert.True(File.Exists(old));
        time.Advance(TimeSpan.FromTicks(1));
        letters.Write(Letter([4]));
        Assert.False(File.Exists(old));
    }

    [Fact]
    public void A_letter_just_inside_the_retention_stays()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var letters = new DeadLetterDirectory(_dir.Path, new DeadLetterLimits { Retention = TimeSpan.FromDays(2) }, time);
        var kept = letters.Write(Letter([1]))!;
        File.SetLastWriteTimeUtc(kept, time.GetUtcNow().UtcDateTime.AddDays(-2).AddMinutes(11));
        time.Advance(TimeSpan.FromMinutes(10));
        letters.Write(Letter([2]));
        Assert.True(File.Exists(kept));
    }

    [Theory]
    [InlineData(1023, 1L << 30, 30, "DeadLetters:MaxPayloadBytes must be at least 1024")]
    [InlineData(1024, 4095, 30, "DeadLetters:MaxBytes must hold at least four letters of DeadLetters:MaxPayloadBytes")]
    [InlineData(1024, 4096, 0, "DeadLetters:Retention must be at least one hour")]
    [InlineData(1024, 4096, 1, null)]
    public void Limits_out_of_range_are_named(int payload, long bytes, int hours, string? expected) =>
        Assert.Equal(expected, new DeadLetterLimits { MaxPayloadBytes = payload, MaxBytes = bytes, Retention = TimeSpan.FromHours(hours == 30 ? 720 : hours) }.Validate());

    [Fact]
    public void The_default_limits_are_one_mebibyte_a_letter_one_gibibyte_in_all_for_thirty_days()
    {
        var limits = new DeadLetterLimits();
        Assert.Equal((1024 * 1024, 1024L * 1024 * 1024, TimeSpan.FromDays(30)), (limits.MaxPayloadBytes, limits.MaxBytes, limits.Retention));
    }

    [Fact]
    public async Task A_letter_written_asynchronously_is_the_same_letter_one_field_per_line_for_a_person_to_read()
    {
        var letters = new DeadLetterDirectory(_dir.Path);
        await letters.WriteAsync(Letter("{}"u8.ToArray()), CancellationToken.None);

        var text = File.ReadAllText(Assert.Single(Directory.GetFiles(_dir.Path, "*.json")));
        Assert.Equal("not JSON", JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
        Assert.Contains("\n  \"reason\": \"malformed_json\",\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_letter_whose_writer_gave_up_is_not_written()
    {
        var letters = new DeadLetterDirectory(_dir.Path);
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await letters.WriteAsync(Letter([1]), new CancellationToken(canceled: true)));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.json"));
    }

    [Fact]
    public void A_letter_exactly_the_retention_old_stays()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var letters = new DeadLetterDirectory(_dir.Path, new DeadLetterLimits { Retention = TimeSpan.FromDays(2) }, time);
        var kept = letters.Write(Letter([1]))!;
        time.Advance(TimeSpan.FromMinutes(10));
        File.SetLastWriteTimeUtc(kept, (time.GetUtcNow() - TimeSpan.FromDays(2)).UtcDateTime);

        letters.Write(Letter([2]));

        Assert.True(File.Exists(kept), "a letter exactly the retention old is not older than it");
    }

    [Fact]
    public void A_new_folder_is_shared_with_the_group_like_the_spool()
    {
        _ = new DeadLetterDirectory(_dir.Combine("letters"));

        Assert.Equal(DurableFile.SharedDirectoryMode, File.GetUnixFileMode(_dir.Combine("letters")));
        Assert.Equal(DurableFile.SharedDirectoryMode, File.GetUnixFileMode(_dir.Combine("letters/.tmp")));
    }

    [Fact]
    public void A_letter_that_cannot_be_written_says_so_and_gives_its_room_back()
    {
        var letters = new DeadLetterDirectory(_dir.Path);
        Directory.Delete(Path.Combine(_dir.Path, ".tmp"));

        Assert.ThrowsAny<IOException>(() => letters.Write(Letter([1, 2, 3])));
        Assert.Equal(0, letters.Bytes);

        Directory.CreateDirectory(Path.Combine(_dir.Path, ".tmp"));
        var written = letters.Write(Letter([1, 2, 3]))!;
        Assert.Equal(new FileInfo(written).Length, letters.Bytes);
    }

    [Fact]
    public void A_sweep_counts_and_ages_out_letters_only_and_counts_every_letter_that_stays()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var notes = Path.Combine(_dir.Path, "README.txt");
        File.WriteAllText(notes, new string('x', 5000));
        File.SetLastWriteTimeUtc(notes, time.GetUtcNow().UtcDateTime.AddDays(-400));
        var letters = new DeadLetterDirectory(_dir.Path, new DeadLetterLimits { Retention = TimeSpan.FromDays(2) }, time);
        var first = letters.Write(Letter([1]))!;
        var second = letters.Write(Letter([2, 2]))!;

        // The next sweep recounts from the folder: both letters, and not the admin's notes.
        time.Advance(TimeSpan.FromMinutes(5));
        var third = letters.Write(Letter([3, 3, 3]))!;

        Assert.True(File.Exists(notes), "a file that is not a letter was deleted");
        Assert.Equal(new[] { first, second, third }.Sum(f => new FileInfo(f).Length), letters.Bytes);
    }

    private static DeadLetter Letter(byte[] payload) => new("test", RejectReason.MalformedJson, "not JSON", payload, DateTimeOffset.UtcNow);
}
