using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Tests.Policy;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar Office = new()
    {
        Name = "office",
        Hours = new BusinessHours(
            TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
            new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday },
            new TimeOnly(9, 0), new TimeOnly(17, 0), new HashSet<DateOnly> { new(2026, 12, 25) }),
    };

    private static DateTimeOffset Berlin(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").GetUtcOffset(local));
    }

    [Theory]
    [InlineData(2026, 11, 24, 10, 60, 2026, 11, 24, 11)] // inside hours
    [InlineData(2026, 11, 24, 7, 60, 2026, 11, 24, 10)] // before opening: starts at 09:00
    [InlineData(2026, 11, 24, 16, 120, 2026, 11, 25, 10)] // runs over the night
    [InlineData(2026, 11, 27, 16, 240, 2026, 11, 30, 12)] // Friday to Monday
    [InlineData(2026, 12, 24, 16, 120, 2026, 12, 28, 10)] // Christmas Day is a holiday, then the weekend
    [InlineData(2026, 3, 27, 16, 120, 2026, 3, 30, 10)] // over the switch to summer time
    public void Add_counts_only_open_time(int y, int mo, int d, int h, int minutes, int ey, int emo, int ed, int eh) =>
        Assert.Equal(Berlin(ey, emo, ed, eh), Office.Add(Berlin(y, mo, d, h), TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void Elapsed_is_the_inverse_of_add()
    {
        var start = Berlin(2026, 11, 27, 15, 30);
        foreach (var minutes in new[] { 0, 29, 30, 31, 480, 1000, 5000 })
        {
            var due = Office.Add(start, TimeSpan.FromMinutes(minutes));
            Assert.Equal(TimeSpan.FromMinutes(minutes), Office.Elapsed(start, due));
        }
    }

    /// <summary>A night shift, 01:00 to 05:00 every day: its window holds the hour the clocks skip or repeat.</summary>
    private static readonly BusinessCalendar Night = new()
    {
        Name = "night",
        Hours = new BusinessHours(
            TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), Enum.GetValues<DayOfWeek>().ToHashSet(),
            new TimeOnly(1, 0), new TimeOnly(5, 0), new HashSet<DateOnly>()),
    };

    [Fact]
    public void A_deadline_inside_the_hour_the_clocks_skip_or_repeat_counts_real_time()
    {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST, so that night's window is three real hours long. Two hours of
        // open time from 01:30 end at 04:30 by the clock on the wall (02:30 UTC), not at 03:30.
        var spring = Berlin(2026, 3, 29, 1, 30);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 2, 30, 0, TimeSpan.Zero), Night.Add(spring, TimeSpan.FromHours(2)));
        // Past the shortened window (two and a half real hours from 01:30): the last hour runs on into the next night.
        Assert.Equal(Berlin(2026, 3, 30, 2), Night.Add(spring, TimeSpan.FromMinutes(210)));

        // 25 October 2026: 03:00 CEST becomes 02:00 CET, so that night's window is five real hours long. Three hours
        // from 01:30 CEST (23:30 UTC) end at 02:30 UTC, which the wall shows as 03:30 CET.
        var autumn = new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.Zero), Night.Add(autumn, TimeSpan.FromHours(3)));
        Assert.Equal(TimeSpan.FromHours(5), Night.Elapsed(new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.FromHours(2)), Berlin(2026, 10, 25, 5)));
        Assert.Equal(TimeSpan.FromHours(3), Night.Elapsed(Berlin(2026, 3, 29, 1), Berlin(2026, 3, 29, 5)));
    }

    [Fact]
    public void Always_open_adds_wall_time() =>
        Assert.Equal(Berlin(2026, 11, 28, 3), BusinessCalendar.AlwaysOpen.Add(Berlin(2026, 11, 27, 23), TimeSpan.FromHours(4)));
}
