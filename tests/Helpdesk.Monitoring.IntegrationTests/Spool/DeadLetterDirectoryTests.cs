using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Spool;

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

    private static DeadLetter Letter(byte[] payload) => new("test", RejectReason.MalformedJson, "not JSON", payload, DateTimeOffset.UtcNow);
}
