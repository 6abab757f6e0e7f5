using BenchmarkDotNet.Attributes;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Benchmarks.Ingest;

/// <summary>
/// Splitting a POST body of 100 writer records (the storm's request) into its records: the JSON reader's split against
/// the quick split by braces. Per record; the parse of each record is measured by the hot-path benchmarks.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class BatchBodyBenchmarks
{
    private const int Records = 100;
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var records = Enumerable.Range(0, Records).Select(i => NotificationWriter.ToUtf8(Traffic.Problem(i, i % 5, Guid.CreateVersion7())));
        _body = [(byte)'[', .. records.SelectMany((r, i) => i == 0 ? r : [(byte)',', .. r]), (byte)']'];

        // The code under test must give the right answer before it is timed.
        var (expected, error) = BatchBody.Split(_body);
        if (error is not null || expected.Count != Records || !expected.SequenceEqual(BatchBody.SplitUnchecked(_body) ?? []))
        {
            throw new InvalidOperationException("benchmark set-up is wrong: the two splits disagree");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public int ReaderSplit() => BatchBody.Split(_body).Records.Count;

    [Benchmark(OperationsPerInvoke = Records)]
    public int QuickSplit() => BatchBody.SplitUnchecked(_body)!.Count;
}
