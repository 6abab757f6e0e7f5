using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Notifications;

/// <summary>
/// Makes wire records from a seed: mostly well-formed, with random escaping, wrong types, missing and repeated
/// fields, unknown properties, hostile names, and byte-level damage (truncation, flipped and inserted bytes).
/// </summary>
internal static class RecordGenerator
{
    private static readonly string[] Types = ["PROBLEM", "PROBLEM", "RECOVERY", "ACKNOWLEDGEMENT", "ACKNOWLEDGEMENT", "FLAPPINGSTART", "DOWNTIMEEND", "CUSTOM", "CUSTOM", "PANIC", "problem", ""];
    private static readonly string[] HostStates = ["UP", "DOWN", "UNREACHABLE", "down", ""];
    private static readonly string[] ServiceStates = ["OK", "WARNING", "CRITICAL", "UNKNOWN", "BAD", ""];
    private static readonly string[] Texts = ["web01", "router-ü", "a\"b", "x\\y", "tab\there", "line\nbreak", "ctl\u0001", "emoji 🚨", "", "|perf=1", "\u007f", "\ud83d", "look\u200balike", "rtl\u202eevil", "c1\u0085", "bom\ufeff", "iso\u2066late", "ok\u2070"];

    private static readonly string[] CleanTexts = ["web01", "router-ü", "emoji 🚨", "", "|perf=1", "x y z", "0", "00", "CRITICAL - timeout"];

    public static byte[] Generate(int seed)
    {
        var r = new Random(seed);

        // A third are compact and escape-free, as our own writer writes: they exercise the fast path.
        var clean = r.Next(3) == 0;
        string Text() => clean ? Pick(r, CleanTexts) : Pick(r, Texts);
        string Str(Random random, string value) => clean ? "\"" + value + "\"" : Quote(random, value);
        var props = new List<string>();
        void Add(string name, string jsonValue) => props.Add($"{Str(r, name)}:{jsonValue}");

        if (r.Next(20) != 0) Add("v", r.Next(15) == 0 ? Pick(r, ["2", "0", "-1", "1.0", "\"1\"", "null"]) : "1");
        if (r.Next(20) != 0) Add("id", r.Next(15) == 0 ? Pick(r, ["\"nope\"", "\"00000000-0000-0000-0000-000000000000\"", "7", "\"{0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10}\""]) : Str(r, Guid.CreateVersion7().ToString()));
        if (r.Next(20) != 0) Add("instance", Str(r, r.Next(4) == 0 ? Text() : "nagios-a"));
        if (r.Next(20) != 0) Add("type", Str(r, Pick(r, Types)));
        if (r.Next(20) != 0) Add("timet", r.Next(15) == 0 ? Pick(r, ["0", "-5", "\"17\"", "1.5", "99999999999999999999", "253402300800", "01795000000", "1e9", "9223372036854775807", "9223372036854775808"]) : (1_700_000_000 + r.Next(100_000_000)).ToString(CultureInfo.InvariantCulture));
        if (r.Next(20) != 0) Add("host", Str(r, r.Next(6) == 0 ? Text() : "host" + r.Next(100)));
        if (r.Next(2) == 0) Add("hostState", Str(r, Pick(r, HostStates)));
        if (r.Next(2) == 0)
        {
            Add("service", Str(r, r.Next(6) == 0 ? Text() : "HTTP"));
            Add("serviceState", Str(r, Pick(r, ServiceStates)));
        }

        foreach (var field in new[] { "hostOutput", "serviceOutput", "longServiceOutput", "author", "comment", "hostGroups", "serviceProblemId" })
        {
            if (r.Next(3) == 0) Add(field, r.Next(20) == 0 ? "42" : Str(r, Text()));
        }

        if (r.Next(4) == 0) Add("serviceAttempt", r.Next(10) == 0 ? Pick(r, ["-1", "01", "2147483648", "2147483647", "3.0"]) : r.Next(5).ToString(CultureInfo.InvariantCulture));
        if (r.Next(4) == 0) Add("vars", Vars(r, clean));
        if (!clean && r.Next(8) == 0) Add("extra" + r.Next(3), Pick(r, ["1", "\"x\"", "[1,{\"a\":2}]", "{\"b\":[]}", "null", "[[[[0]]]]"]));
        if (r.Next(12) == 0 && props.Count > 0) props.Add(props[r.Next(props.Count)]);

        // Half the clean records keep our writer's order (the fast path's form); the rest, and all others, are shuffled.
        if (clean && r.Next(2) == 0)
        {
            props.Sort((a, b) => WriterRank(a).CompareTo(WriterRank(b)));
        }
        else
        {
            Shuffle(r, props);
        }

        var bytes = Encoding.UTF8.GetBytes("{" + string.Join(clean ? "," : Pick(r, [",", ", ", ",\n"]), props) + "}");
        return r.Next(clean ? 20 : 6) == 0 ? Damage(r, bytes) : bytes;
    }

    /// <summary>Where a property's row stands in the writer's order (unknown names last).</summary>
    private static int WriterRank(string property)
    {
        var name = property[1..property.IndexOf('"', 1)];
        var row = Array.FindIndex(WireFields.Rows, row => row.Name == name);
        return row < 0 ? int.MaxValue : row;
    }

    private static string Vars(Random r, bool clean)
    {
        var names = new[] { "_HOSTCUSTOMER", "_SERVICEIMPACT", "_X", "bad", "_lower", "_HOSTCUSTOMER" };
        var n = r.Next(4);
        var parts = new List<string>();
        for (var i = 0; i < n; i++)
        {
            parts.Add(clean
                ? $"\"{Pick(r, names)}\":{(r.Next(10) == 0 ? "1" : "\"" + Pick(r, CleanTexts) + "\"")}"
                : $"{Quote(r, Pick(r, names))}:{(r.Next(10) == 0 ? "1" : Quote(r, Pick(r, Texts)))}");
        }

        if (clean && r.Next(2) == 0)
        {
            // As the writer writes them: in ordinal order (a repeated name stays repeated).
            parts.Sort(StringComparer.Ordinal);
        }

        return r.Next(15) == 0 ? "\"notanobject\"" : "{" + string.Join(",", parts) + "}";
    }

    /// <summary>A JSON string for <paramref name="value"/>, sometimes with gratuitous \u escapes.</summary>
    private static string Quote(Random r, string value)
    {
        var escapeAll = r.Next(8) == 0;
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\' || c < ' ' || char.IsSurrogate(c) || (escapeAll && r.Next(2) == 0))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append('"').ToString();
    }

    private static byte[] Damage(Random r, byte[] bytes)
    {
        var list = bytes.ToList();
        switch (r.Next(3))
        {
            case 0:
                return bytes[..r.Next(bytes.Length)];
            case 1:
                list[r.Next(list.Count)] = (byte)r.Next(256);
                return [.. list];
            default:
                list.Insert(r.Next(list.Count), (byte)r.Next(256));
                return [.. list];
        }
    }

    private static string Pick(Random r, string[] options) => options[r.Next(options.Length)];

    private static void Shuffle(Random r, List<string> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = r.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
