using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Notifications;

public sealed class Utf8SliceTests
{
    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(3, 5, true)]
    [InlineData(3, 5, false)]
    [InlineData(int.MaxValue, int.MaxValue, true)]
    [InlineData(7, int.MaxValue, false)]
    public void The_length_and_the_escape_flag_share_a_word_without_touching_each_other(int start, int length, bool escaped)
    {
        var slice = new Utf8Slice(start, length, escaped);
        Assert.Equal((start, length, escaped, length == 0), (slice.Start, slice.Length, slice.Escaped, slice.IsEmpty));
        Assert.Equal(8, System.Runtime.CompilerServices.Unsafe.SizeOf<Utf8Slice>());
    }

    [Fact]
    public void Slices_differing_only_in_the_escape_flag_are_not_equal()
    {
        Assert.NotEqual(new Utf8Slice(1, 2, escaped: true), new Utf8Slice(1, 2, escaped: false));
        Assert.Equal(new Utf8Slice(1, 2, escaped: true), new Utf8Slice(1, 2, escaped: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Utf8Slice(0, -1, escaped: false));
    }

    [Fact]
    public void A_slice_reads_its_bytes_from_the_record()
    {
        var record = "{\"host\":\"web01\"}"u8.ToArray();
        Assert.Equal("web01"u8.ToArray(), new Utf8Slice(9, 5, escaped: false).Of(record).ToArray());
    }
}
