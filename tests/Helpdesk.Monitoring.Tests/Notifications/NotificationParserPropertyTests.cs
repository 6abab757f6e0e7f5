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
    public void The_compact_fast_path_accepts_only_what_the_full_reader_reads_the_same_way()
    {
        var compact = 0;
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var record = RecordGenerator.Generate(seed);
            NotificationFields fast = default;
            if (!NotificationParser.TryReadCompact(record, ref fast, out _))
            {
                return true;
            }

            Interlocked.Increment(ref compact);
            var full = NotificationParser.TryParseFull(record, out var slow, out var failure);
            var fastChecked = NotificationParser.TryParse(record, out var viaFast, out var fastFailure);
            return full == fastChecked && (!full || slow.Equals(viaFast)) && failure.Reason == fastFailure.Reason;
        }).Check(Many);
        Assert.True(compact > 2_000, $"only {compact} generated records took the fast path");
    }

    [Fact]
    public void Our_writers_plain_records_take_the_fast_path()
    {
        var record = Records.Bytes(Records.Service(NotificationType.Problem) with { LongServiceOutput = "more", ServiceProblemId = "7" });
        NotificationFields fields = default;
        Assert.True(NotificationParser.TryReadCompact(record, ref fields, out _));
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
}
