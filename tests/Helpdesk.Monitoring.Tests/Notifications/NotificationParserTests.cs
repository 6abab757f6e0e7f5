using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Notifications;

public sealed class NotificationParserTests
{
    [Fact]
    public void Parses_what_the_writer_writes()
    {
        var n = Records.Service(NotificationType.Problem, output: "CRITICAL - \"quoted\" ü ✓ | time=1s") with
        {
            LongServiceOutput = "line1\nline2",
            ServiceProblemId = "42",
            HostGroups = "web,prod",
        };

        Assert.True(NotificationDecoder.TryDecode(Records.Bytes(n), out var decoded, out var failure), failure.ToString());
        Assert.Equal(n, decoded);
    }

    [Fact]
    public void Keeps_plain_values_unescaped_so_the_hot_path_reads_them_in_place()
    {
        var record = Records.Bytes(Records.Service(NotificationType.Problem, host: "web-ü-01"));
        var fields = Records.Parse(record);
        Assert.False(fields.Host.Escaped);
        Assert.Equal("web-ü-01"u8.ToArray(), fields.Host.Of(record).ToArray());
    }

    [Theory]
    [InlineData("", RejectReason.MalformedJson, "not valid JSON at line 1, byte 1: there is no JSON value in it")]
    [InlineData("[]", RejectReason.MalformedJson, "a record must be one JSON object")]
    [InlineData("{\"v\":1", RejectReason.MalformedJson, "not valid JSON at line 1, byte 7: '1' is an invalid end of a number. Expected a delimiter")]
    [InlineData("{} {}", RejectReason.MalformedJson, "not valid JSON at line 1, byte 4: '{' is invalid after a single JSON value. Expected end of data")]
    [InlineData("{\"v\":1,\n\"host\": x}", RejectReason.MalformedJson, "not valid JSON at line 2, byte 9: 'x' is an invalid start of a value")]
    [InlineData("{\"v\":2,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.UnsupportedVersion, "record version 2 is not supported; this service reads v1")]
    [InlineData("{\"v\":2}", RejectReason.UnsupportedVersion, "record version 2 is not supported; this service reads v1")]
    [InlineData("{\"v\":1,\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.MissingField, "field 'id' is required")]
    [InlineData("{\"v\":1,\"id\":\"nope\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'id' must be a non-empty UUID like 0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PANIC\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.UnknownType, "type 'PANIC' is not a Nagios notification type (PROBLEM, RECOVERY, ACKNOWLEDGEMENT, FLAPPINGSTART, FLAPPINGSTOP, FLAPPINGDISABLED, DOWNTIMESTART, DOWNTIMEEND, DOWNTIMECANCELLED, CUSTOM)")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"UP\"}", RejectReason.InvalidField, "field 'hostState' is healthy, but a PROBLEM needs a failing state")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"RECOVERY\",\"timet\":1,\"host\":\"h\",\"service\":\"s\",\"serviceState\":\"CRITICAL\"}", RejectReason.InvalidField, "field 'serviceState' is failing, but a RECOVERY needs OK or UP")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\\u0001x\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'host' contains a control character")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"host\":\"g\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'host' appears more than once")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":\"1\",\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'timet' must be an integer (epoch seconds)")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"vars\":{\"CUSTOMER\":\"x\"}}", RejectReason.InvalidField, "field 'vars' names must look like _HOSTCUSTOMER (an underscore, then A-Z, 0-9 or _; at most 64)")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"vars\":{\"_A\":\"x\",\"_A\":\"y\"}}", RejectReason.InvalidField, "field 'vars' names a custom variable twice")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"x\":[[[[1]]]]}", RejectReason.MalformedJson, "not valid JSON at line 1, byte 130: values nest too deeply: a notification is one object, and only its \"vars\" holds another (custom variables as strings)")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"\\ud800\":1}", RejectReason.MalformedJson, "a text value is not valid UTF-8, or a \\u escape in it is half of a character")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":0,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'timet' must be a positive epoch time in seconds")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"service\":\"s\"}", RejectReason.InvalidField, "field 'serviceState' is required for a service notification")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\"}", RejectReason.InvalidField, "field 'hostState' is required for a host notification")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"service\":\"s\",\"serviceState\":\"OK\"}", RejectReason.InvalidField, "field 'serviceState' is healthy, but a PROBLEM needs a failing state")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"RECOVERY\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'hostState' is failing, but a RECOVERY needs OK or UP")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'instance' must not be empty")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'host' is longer than 255 bytes")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"service\":\"s\\u007F\",\"serviceState\":\"CRITICAL\"}", RejectReason.InvalidField, "field 'service' contains a control character")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"SIDEWAYS\"}", RejectReason.InvalidField, "field 'hostState' must be UP, DOWN or UNREACHABLE")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"service\":\"s\",\"serviceState\":\"BAD\"}", RejectReason.InvalidField, "field 'serviceState' must be OK, WARNING, CRITICAL or UNKNOWN")]
    [InlineData("{\"v\":\"1\",\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'v' must be a non-negative integer")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"service\":\"s\",\"serviceState\":\"CRITICAL\",\"serviceAttempt\":-1}", RejectReason.InvalidField, "field 'serviceAttempt' must be a non-negative integer")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":5,\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'host' must be a string")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"vars\":{\"_A\":5}}", RejectReason.InvalidField, "field 'vars' values must be strings")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"vars\":[]}", RejectReason.InvalidField, "field 'vars' must be an object of custom variables")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"web\u200b01\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'host' contains an invisible or text-direction character (U+0080–U+009F, U+200B–U+200F, U+202A–U+202E, U+2060–U+2069 or U+FEFF)")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"service\":\"HTTP\u202eSPTTH\",\"serviceState\":\"CRITICAL\"}", RejectReason.InvalidField, "field 'service' contains an invisible or text-direction character (U+0080–U+009F, U+200B–U+200F, U+202A–U+202E, U+2060–U+2069 or U+FEFF)")]
    [InlineData("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\u0085\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}", RejectReason.InvalidField, "field 'instance' contains an invisible or text-direction character (U+0080–U+009F, U+200B–U+200F, U+202A–U+202E, U+2060–U+2069 or U+FEFF)")]
    public void Refuses_bad_records_with_a_reason(string json, RejectReason expected, string message)
    {
        // The message is what a Nagios admin reads in the dead letter: pinned word for word, the JSON reader's reason
        // (its first sentence, after where it stopped) included.
        Assert.False(NotificationParser.TryParse(Records.Utf8(json), out _, out var failure));
        Assert.Equal(expected, failure.Reason);
        if (message.EndsWith('…'))
        {
            Assert.StartsWith(message[..^1], failure.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(message, failure.Message);
        }
    }

    [Fact]
    public void Json_escapes_in_names_and_values_read_the_same_as_plain_text()
    {
        // Any JSON writer may escape any character: \u0050 is P, \u0044 is D, \u0030 is 0, \u0068 is h.
        const string Plain = "{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"service\":\"s\",\"serviceState\":\"CRITICAL\"}";
        const string Escaped = "{\"v\":1,\"id\":\"\\u0030190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"\\u0050ROBLEM\",\"timet\":1,\"\\u0068ost\":\"h\",\"hostState\":\"\\u0044OWN\",\"service\":\"s\",\"serviceState\":\"CRITICA\\u004C\"}";
        Assert.True(NotificationDecoder.TryDecode(Records.Utf8(Plain), out var plain, out var failure), failure.ToString());
        Assert.True(NotificationDecoder.TryDecode(Records.Utf8(Escaped), out var escaped, out failure), failure.ToString());
        Assert.Equal(plain, escaped);
        Assert.Equal((NotificationType.Problem, AlertState.Down, AlertState.Critical), (escaped!.Type, escaped.HostState, escaped.ServiceState));
    }

    [Fact]
    public void A_record_of_exactly_the_size_limit_is_read_and_one_byte_more_is_refused()
    {
        var head = "{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"hostOutput\":\"";
        const string Tail = "\"}";
        var exact = head + new string('x', RecordLimits.MaxRecordBytes - head.Length - Tail.Length) + Tail;
        Assert.Equal(RecordLimits.MaxRecordBytes, exact.Length);
        Assert.True(NotificationParser.TryParse(Records.Utf8(exact), out _, out var failure), failure.ToString());
        Assert.False(NotificationParser.TryParse(Records.Utf8(exact.Insert(head.Length, "x")), out _, out failure));
        Assert.Equal(RejectReason.Oversized, failure.Reason);
    }

    [Fact]
    public void Names_the_missing_field()
    {
        NotificationParser.TryParse(Records.Utf8("{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\"}"), out _, out var failure);
        Assert.Contains("'instance'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_oversized_records_before_reading_them()
    {
        var huge = new byte[RecordLimits.MaxRecordBytes + 1];
        Assert.False(NotificationParser.TryParse(huge, out _, out var failure));
        Assert.Equal(RejectReason.Oversized, failure.Reason);
    }

    [Fact]
    public void Refuses_invalid_utf8_in_a_kept_field()
    {
        var record = Records.Bytes(Records.Service(NotificationType.Problem, output: "AAAA"));
        var at = record.AsSpan().IndexOf("AAAA"u8);
        record[at] = 0xC3;
        record[at + 1] = 0x28;
        Assert.False(NotificationParser.TryParse(record, out _, out var failure));
        Assert.NotEqual(RejectReason.None, failure.Reason);
    }

    [Fact]
    public void Ignores_unknown_properties_from_newer_writers()
    {
        var json = "{\"v\":1,\"future\":{\"a\":[1,2]},\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\"}";
        Assert.True(NotificationParser.TryParse(Records.Utf8(json), out var fields, out _));
        Assert.Equal(NotificationType.Problem, fields.Type);

        // Ignored, but known to be: the sender is told which (a misspelt field looks the same as a newer writer's).
        Assert.True(fields.IgnoredProperties);
        Assert.Equal(["future"], NotificationParser.IgnoredNames(Records.Utf8(json), 10));
        var misspelt = "{\"v\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROBLEM\",\"timet\":1,\"host\":\"h\",\"hostState\":\"DOWN\",\"var\":{},\"hostGroup\":\"x\"}";
        Assert.True(NotificationParser.TryParse(Records.Utf8(misspelt), out fields, out _));
        Assert.Equal(["var", "hostGroup"], NotificationParser.IgnoredNames(Records.Utf8(misspelt), 10));

        // The writer's own records, on the in-order path and the full reader alike, have none.
        var written = Records.Bytes(Records.Service(NotificationType.Problem));
        Assert.True(NotificationParser.TryParse(written, out fields, out _));
        Assert.False(fields.IgnoredProperties);
        Assert.True(NotificationParser.TryParseFull(written, out fields, out _));
        Assert.False(fields.IgnoredProperties);
    }

    [Fact]
    public void Reads_escaped_names_and_values()
    {
        var json = "{\"\\u0076\":1,\"id\":\"0190f5c2-7d3e-7a41-9c55-2b1f0e6a9d10\",\"instance\":\"a\",\"type\":\"PROB\\u004cEM\",\"timet\":1,\"host\":\"h\\u00fc\",\"hostState\":\"DOWN\"}";
        Assert.True(NotificationDecoder.TryDecode(Records.Utf8(json), out var n, out var failure), failure.ToString());
        Assert.Equal(NotificationType.Problem, n!.Type);
        Assert.Equal("hü", n.Host);
    }
}
