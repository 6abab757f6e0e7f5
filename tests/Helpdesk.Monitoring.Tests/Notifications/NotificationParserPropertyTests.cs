using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Notifications;

/// <summary>The span parser against the reference parser, over generated, hostile and damaged records.</summary>
public sealed class NotificationParserPropertyTests
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(20_000);

    [Property(MaxTest = 20_000)]
    public bool Agrees_with_the_reference_parser(NonNegativeInt seed)
    {
        var record = RecordGenerator.Generate(seed.Get);
        var expected = ReferenceNotificationParser.Parse(record);
        var ok = NotificationDecoder.TryDecode(record, out var actual, out var failure);
        return (expected is null && !ok && failure.Failed) || (expected is not null && ok && expected.Equals(actual));
    }

    [Fact]
    public void The_in_order_fast_path_accepts_only_what_the_full_reader_reads_the_same_way()
    {
        var fastPath = 0;
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var record = RecordGenerator.Generate(seed);
            NotificationFields fast = default;
            if (!NotificationParser.TryReadInOrder(record, ref fast, out _, out _))
            {
                return true;
            }

            Interlocked.Increment(ref fastPath);
            var full = NotificationParser.TryParseFull(record, out var slow, out var failure);
            var fastChecked = NotificationParser.TryParse(record, out var viaFast, out var fastFailure);
            return full == fastChecked && (!full || slow.Equals(viaFast)) && failure.Reason == fastFailure.Reason;
        }).Check(Many);
        Assert.True(fastPath > 1_000, $"only {fastPath} generated records took the fast path");
    }

    [Fact]
    public void Our_writers_plain_records_take_the_fast_path()
    {
        var record = Records.Bytes(Records.Service(NotificationType.Problem) with { LongServiceOutput = "more", ServiceProblemId = "7" });
        NotificationFields fields = default;
        Assert.True(NotificationParser.TryReadInOrder(record, ref fields, out _, out _));
    }

    [Fact]
    public void Generated_input_is_mixed_enough_to_mean_something()
    {
        var accepted = Enumerable.Range(0, 5000).Count(seed => ReferenceNotificationParser.Parse(RecordGenerator.Generate(seed)) is not null);
        Assert.InRange(accepted, 250, 4750);
    }

    [Fact]
    public void Writer_and_parser_round_trip()
    {
        var texts = Gen.Elements("web01", "a\"b\\c", "ü✓🚨", "x|y;z", "line\nbreak", "tab\t", "<html>&amp;", "$USER1$`rm -rf`");
        var gen =
            from host in texts
            from output in texts
            from comment in texts
            from service in Gen.Elements("", "HTTP", "Disk /var")
            from customer in texts
            select new Notification
            {
                EventId = Guid.CreateVersion7(),
                Instance = "nagios-a",
                Type = NotificationType.Acknowledgement,
                TimeT = 1_795_000_000,
                Host = host.Replace("\n", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal),
                HostState = AlertState.Down,
                HostOutput = output,
                Service = service,
                ServiceState = service.Length > 0 ? AlertState.Critical : AlertState.None,
                ServiceOutput = service.Length > 0 ? output : "",
                Comment = comment,
                Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = customer },
            };
        Prop.ForAll(Arb.From(gen), n =>
            NotificationDecoder.TryDecode(NotificationWriter.ToUtf8(n), out var back, out _) && n.Equals(back)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_fast_path_reads_every_field_our_writer_writes_as_the_full_reader_does()
    {
        var n = new Notification
        {
            EventId = Guid.CreateVersion7(),
            Instance = "nagios-a",
            Type = NotificationType.Acknowledgement,
            TimeT = 1_795_000_000,
            Host = "router-ü",
            HostAlias = "Core router ✓",
            HostAddress = "10.0.0.1",
            HostState = AlertState.Down,
            HostStateType = "HARD",
            HostOutput = "PING CRITICAL - Packet loss = 100%",
            LongHostOutput = "more host lines",
            Service = "HTTP",
            ServiceState = AlertState.Critical,
            ServiceStateType = "SOFT",
            ServiceAttempt = 2_147_483_647,
            ServiceOutput = "CRITICAL - timeout | time=10s",
            LongServiceOutput = "more service lines ✓ ü", // (the writer escapes characters beyond the BMP, such as emoji: those records go the full way)
            ServiceProblemId = "42",
            LastServiceProblemId = "41",
            HostProblemId = "7",
            LastHostProblemId = "6",
            NotificationNumber = 12,
            Author = "alice",
            Comment = "looking at it",
            LongDateTime = "Sun Nov 22 06:00:00 UTC 2026",
            HostGroups = "routers,customer-1",
            ServiceGroups = "web",
            HostNotes = "host runbook line",
            HostNotesUrl = "https://wiki.example/host",
            HostActionUrl = "https://graphs.example/host",
            ServiceNotes = "service runbook line",
            ServiceNotesUrl = "https://wiki.example/service",
            ServiceActionUrl = "https://graphs.example/service",
            Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "customer-1", ["_SERVICEIMPACT"] = "high", ["_A"] = "" },
        };
        var record = NotificationWriter.ToUtf8(n);
        NotificationFields fast = default;
        Assert.True(NotificationParser.TryReadInOrder(record, ref fast, out var fastSeen, out _));
        Assert.True(NotificationParser.TryParseFull(record, out var full, out _));
        Assert.Equal(full, fast);
        Assert.True(NotificationDecoder.TryDecode(record, out var back, out _));
        Assert.Equal(n, back);
        Assert.NotEqual(0UL, fastSeen);
    }

    [Fact]
    public void The_fast_path_reads_records_of_every_length_around_its_64_byte_blocks()
    {
        // The quote map works in blocks of 64 bytes and reads the last one overlapping the block before: a quote,
        // a refused byte or a non-ASCII byte at each position near a block's edge must be found where it is.
        for (var length = 0; length < 200; length++)
        {
            foreach (var tail in (string[])["", "\"", "\\", "ü", "\u0001"])
            {
                var n = Records.Service(NotificationType.Problem) with { ServiceOutput = new string('x', length) + tail, Vars = new Dictionary<string, string>() };
                var record = NotificationWriter.ToUtf8(n);
                NotificationFields fast = default;
                var took = NotificationParser.TryReadInOrder(record, ref fast, out _, out _);
                Assert.Equal(tail is "" or "ü", took);
                Assert.True(NotificationParser.TryParse(record, out var fields, out _));
                Assert.True(NotificationParser.TryParseFull(record, out var full, out _));
                Assert.Equal(full, fields);
                Assert.Equal(n.ServiceOutput, NotificationDecoder.Text(record, fields.ServiceOutput));
            }
        }
    }

    [Fact]
    public void The_fast_path_leaves_other_orders_and_repeated_fields_to_the_full_reader()
    {
        var inOrder = NotificationWriter.ToUtf8(Records.Service(NotificationType.Problem));
        var text = System.Text.Encoding.UTF8.GetString(inOrder);
        var swapped = text.Replace("{\"v\":1,", "{", StringComparison.Ordinal).TrimEnd('}') + ",\"v\":1}";
        var repeated = text.TrimEnd('}') + ",\"host\":\"other\"}";
        foreach (var other in new[] { swapped, repeated })
        {
            var record = System.Text.Encoding.UTF8.GetBytes(other);
            NotificationFields fast = default;
            Assert.False(NotificationParser.TryReadInOrder(record, ref fast, out _, out _));
            var fullAccepts = NotificationParser.TryParseFull(record, out _, out var fullFailure);
            Assert.Equal(fullAccepts, NotificationParser.TryParse(record, out _, out var failure));
            Assert.Equal(fullFailure.Reason, failure.Reason);
        }
    }

    [Theory]
    [InlineData("web\u007f01")]
    [InlineData("look\u200balike")]
    [InlineData("rtl\u202eevil")]
    [InlineData("c1\u0085")]
    [InlineData("bom\ufeff")]
    public void A_name_with_a_control_or_invisible_character_is_refused_whichever_reader_reads_it(string host)
    {
        // The fast path skips the names' search only when every byte is printable ASCII: these must still be found.
        var record = NotificationWriter.ToUtf8(Records.Service(NotificationType.Problem) with { Host = host });
        Assert.False(NotificationParser.TryParse(record, out _, out var failure));
        Assert.Equal(RejectReason.InvalidField, failure.Reason);
        Assert.Contains("'host'", failure.Message, StringComparison.Ordinal);
        Assert.False(NotificationParser.TryParseFull(record, out _, out var full));
        Assert.Equal(full, failure);
    }
}
