using System.Globalization;
using System.Text.Json;

namespace Helpdesk.Monitoring.Policy;

public static partial class RulesFile
{
    private static SlaPolicy ReadSla(JsonElement e, List<string> errors)
    {
        var defaults = new SlaPolicy();
        if (!IsObject(e, "sla", errors))
        {
            return defaults;
        }

        Known(e, "sla.", errors, "l1Window", "targets", "calendars", "customers");
        var calendars = new Dictionary<string, BusinessCalendar>(defaults.Calendars, StringComparer.Ordinal);
        if (e.TryGetProperty("calendars", out var c) && IsObject(c, "sla.calendars", errors))
        {
            foreach (var calendar in c.EnumerateObject())
            {
                if (calendar.Name == SlaPolicy.Always)
                {
                    errors.Add($"sla.calendars.{SlaPolicy.Always}: is built in (always open) and cannot be redefined");
                    continue;
                }

                calendars[calendar.Name] = ReadCalendar(calendar.Name, calendar.Value, $"sla.calendars.{calendar.Name}", errors);
            }
        }

        var targets = new Dictionary<Priority, SlaTarget>(defaults.Targets);
        if (e.TryGetProperty("targets", out var t) && IsObject(t, "sla.targets", errors))
        {
            foreach (var target in t.EnumerateObject())
            {
                var at = $"sla.targets.{target.Name}";
                if (!Enum.TryParse<Priority>(target.Name, out var priority) || !target.Name.StartsWith('P') || !Enum.IsDefined(priority))
                {
                    errors.Add($"{at}: not a priority (P1 to P5)");
                    continue;
                }

                if (!IsObject(target.Value, at, errors))
                {
                    continue;
                }

                Known(target.Value, at + ".", errors, "response", "resolution", "calendar");
                var old = targets[priority];
                var response = OptionalDuration(target.Value, "response", at, errors, allowZero: false) ?? old.Response;
                var resolution = OptionalDuration(target.Value, "resolution", at, errors, allowZero: false) ?? old.Resolution;
                var name = Text(target.Value, "calendar", at, errors, required: false) ?? old.Calendar;
                if (response > resolution)
                {
                    errors.Add($"{at}.response: must not be longer than the resolution target");
                }

                targets[priority] = new SlaTarget(response, resolution, KnownCalendar(name, calendars, at + ".calendar", errors));
            }
        }

        var customers = new List<CalendarRule>();
        if (e.TryGetProperty("customers", out var list) && IsArray(list, "sla.customers", errors))
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var at = $"sla.customers[{i++}]";
                if (IsObject(item, at, errors))
                {
                    Known(item, at + ".", errors, "match", "calendar");
                    var name = Text(item, "calendar", at, errors, required: true) ?? SlaPolicy.Always;
                    customers.Add(new CalendarRule(MatchOf(item, at, errors), KnownCalendar(name, calendars, at + ".calendar", errors)));
                }
            }
        }

        return new SlaPolicy
        {
            L1Window = OptionalDuration(e, "l1Window", "sla", errors, allowZero: false) ?? defaults.L1Window,
            Targets = targets,
            Calendars = calendars,
            CustomerCalendars = customers,
        };
    }

    private static BusinessCalendar ReadCalendar(string name, JsonElement e, string at, List<string> errors)
    {
        if (!IsObject(e, at, errors))
        {
            return BusinessCalendar.AlwaysOpen;
        }

        Known(e, at + ".", errors, "timeZone", "days", "start", "end", "holidays");
        var zone = TimeZoneInfo.Utc;
        if (Text(e, "timeZone", at, errors, required: true) is { } id && !TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
        {
            errors.Add($"{at}.timeZone: unknown time zone '{id}' (use an IANA name such as Europe/Berlin)");
            zone = TimeZoneInfo.Utc;
        }

        var days = new HashSet<DayOfWeek>();
        if (e.TryGetProperty("days", out var d) && IsArray(d, at + ".days", errors))
        {
            foreach (var day in d.EnumerateArray())
            {
                if (day.ValueKind == JsonValueKind.String && DayOf(day.GetString()!) is { } parsed)
                {
                    days.Add(parsed);
                }
                else
                {
                    errors.Add($"{at}.days: '{day}' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
                }
            }
        }
        else if (!e.TryGetProperty("days", out _))
        {
            days.UnionWith([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);
        }

        var start = Time(e, "start", at, errors) ?? new TimeOnly(8, 0);
        var end = Time(e, "end", at, errors) ?? new TimeOnly(18, 0);
        if (end <= start)
        {
            errors.Add($"{at}.end: must be later than start");
        }

        if (days.Count == 0)
        {
            errors.Add($"{at}.days: a calendar needs at least one working day");
        }

        var holidays = new HashSet<DateOnly>();
        if (e.TryGetProperty("holidays", out var h) && IsArray(h, at + ".holidays", errors))
        {
            foreach (var holiday in h.EnumerateArray())
            {
                if (holiday.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(holiday.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    holidays.Add(date);
                }
                else
                {
                    errors.Add($"{at}.holidays: '{holiday}' is not a date (YYYY-MM-DD)");
                }
            }
        }

        return new BusinessCalendar { Name = name, Hours = new BusinessHours(zone, days, start, end, holidays) };
    }

    private static string KnownCalendar(string name, Dictionary<string, BusinessCalendar> calendars, string at, List<string> errors)
    {
        if (!calendars.ContainsKey(name))
        {
            errors.Add($"{at}: no calendar named '{name}' (known: {string.Join(", ", calendars.Keys.Order(StringComparer.Ordinal))})");
        }

        return name;
    }

    private static TimeOnly? Time(JsonElement e, string name, string at, List<string> errors)
    {
        if (Text(e, name, at, errors, required: false) is not { } text)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add($"{at}.{name}: must be a time of day as HH:mm, not '{text}'");
        return null;
    }

    private static DayOfWeek? DayOf(string text) => text switch
    {
        "Mon" => DayOfWeek.Monday,
        "Tue" => DayOfWeek.Tuesday,
        "Wed" => DayOfWeek.Wednesday,
        "Thu" => DayOfWeek.Thursday,
        "Fri" => DayOfWeek.Friday,
        "Sat" => DayOfWeek.Saturday,
        "Sun" => DayOfWeek.Sunday,
        _ => null,
    };
}
