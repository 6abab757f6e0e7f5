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

    [Fact]
    public void Always_open_adds_wall_time() =>
        Assert.Equal(Berlin(2026, 11, 28, 3), BusinessCalendar.AlwaysOpen.Add(Berlin(2026, 11, 27, 23), TimeSpan.FromHours(4)));
}
