namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// When an SLA clock runs: always (24/7), or on working days between two local times, except holidays, in a time
/// zone. Durations are counted in calendar time: four business hours from Friday 16:00 end Monday 11:00 (9–17).
/// </summary>
public sealed record BusinessCalendar
{
    public static readonly BusinessCalendar AlwaysOpen = new() { Name = "24x7" };

    public required string Name { get; init; }

    /// <summary>Null for 24/7.</summary>
    public BusinessHours? Hours { get; init; }

    /// <summary>The calendar time due <paramref name="duration"/> of open time after <paramref name="start"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        if (Hours is not { } hours)
        {
            return start + duration;
        }

        var remaining = duration;
        var t = start;

        // Ten years of days bounds a calendar with no open time at all (validated against, but never loop forever).
        for (var day = 0; day < 3660; day++)
        {
            var (open, close) = hours.WindowOn(t);
            if (open is { } o && close is { } c && t < c)
            {
                var from = t > o ? t : o;
                if (remaining <= c - from)
                {
                    return from + remaining;
                }

                remaining -= c - from;
            }

            t = hours.NextDay(t);
        }

        return t;
    }

    /// <summary>Open time between two instants.</summary>
    public TimeSpan Elapsed(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        if (Hours is not { } hours)
        {
            return to - from;
        }

        var total = TimeSpan.Zero;
        var t = from;
        for (var day = 0; day < 3660 && t < to; day++)
        {
            var (open, close) = hours.WindowOn(t);
            if (open is { } o && close is { } c)
            {
                var a = t > o ? t : o;
                var b = to < c ? to : c;
                if (b > a)
                {
                    total += b - a;
                }
            }

            t = hours.NextDay(t);
        }

        return total;
    }
}

/// <summary>Working days, daily hours and holidays in a time zone.</summary>
public sealed record BusinessHours(TimeZoneInfo Zone, IReadOnlySet<DayOfWeek> Days, TimeOnly Start, TimeOnly End, IReadOnlySet<DateOnly> Holidays)
{
    /// <summary>The open window of the local day that contains <paramref name="t"/>, or nulls when that day is closed.</summary>
    public (DateTimeOffset? Open, DateTimeOffset? Close) WindowOn(DateTimeOffset t)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, Zone).DateTime);
        if (!Days.Contains(date.DayOfWeek) || Holidays.Contains(date))
        {
            return (null, null);
        }

        return (At(date, Start), At(date, End));
    }

    /// <summary>Local midnight of the next day.</summary>
    public DateTimeOffset NextDay(DateTimeOffset t)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, Zone).DateTime).AddDays(1);
        return At(date, TimeOnly.MinValue);
    }

    private DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);

        // A local time skipped by a DST change does not exist: take the instant an hour later.
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
