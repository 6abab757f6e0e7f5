using System.Text;
using Helpdesk.Monitoring.Cli;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Cli;

public sealed class OutputTrimmerTests
{
    [Theory]
    [InlineData(120_000, 0)]
    [InlineData(40_000, 40_000)]
    [InlineData(0, 200_000)]
    public void A_record_with_long_output_is_cut_to_fit_and_says_from_how_much(int longOutput, int output)
    {
        // Multi-byte characters and characters JSON escapes: the cut must never split one, and escaping must not push the record over.
        var n = Records.Service(NotificationType.Problem) with
        {
            LongServiceOutput = Text("é\"\u0001x", longOutput),
            ServiceOutput = Text("CRITICAL ", output),
        };

        var record = OutputTrimmer.ToRecord(n, RecordLimits.MaxRecordBytes);

        Assert.True(record.Length <= RecordLimits.MaxRecordBytes, $"{record.Length} bytes");
        Assert.True(NotificationParser.TryParse(record, out var fields, out var failure), failure.Message);
        var parsed = NotificationDecoder.Decode(record, in fields);
        Assert.Equal(n.Host, parsed.Host);
        Assert.Equal(n.EventId, parsed.EventId);
        var cut = longOutput >= output ? parsed.LongServiceOutput : parsed.ServiceOutput;
        Assert.EndsWith($" [output truncated from {Encoding.UTF8.GetByteCount(longOutput >= output ? n.LongServiceOutput : n.ServiceOutput)} bytes]", cut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_that_fits_is_left_as_it_is()
    {
        var n = Records.Service(NotificationType.Problem) with { LongServiceOutput = new string('x', 50_000) };
        Assert.Equal(NotificationWriter.ToUtf8(n), OutputTrimmer.ToRecord(n, RecordLimits.MaxRecordBytes));
    }

    private static string Text(string unit, int bytes)
    {
        var unitBytes = Encoding.UTF8.GetByteCount(unit);
        return new StringBuilder().Insert(0, unit, bytes / unitBytes).ToString();
    }
}
