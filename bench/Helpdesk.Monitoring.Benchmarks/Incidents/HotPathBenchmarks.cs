using System.Buffers.Text;
using BenchmarkDotNet.Attributes;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Benchmarks.Incidents;

/// <summary>
/// The per-notification hot path in memory: parse the wire bytes, build the fingerprint, decide against a decider of
/// 10,000 open incidents. "Repeat" is the storm case (another copy of a firing problem, new event id); "Redelivery" is
/// the same event id again. Target (issue 2): ≤ 150 ns and 0 B for a duplicate.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[InvocationCount(1, 1)]
public class HotPathBenchmarks
{
    private const int Ops = 10_000;
    private const int Hosts = 2_000;
    private const int Services = 5;

    private readonly CommitPlan _plan = new();
    private byte[][] _repeats = [];
    private int[] _idOffsets = [];
    private byte[][] _redeliveries = [];
    private IncidentDecider _decider = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _now = DateTimeOffset.FromUnixTimeSeconds(Traffic.T0 + 60);
        // Storm mode off: 10,000 problems in one second would (rightly) be one storm incident; this measures the plain path.
        _decider = new IncidentDecider(Traffic.WithoutStorm, [], 0, 0);
        for (var h = 0; h < Hosts; h++)
        {
            for (var s = 0; s < Services; s++)
            {
                Apply(NotificationWriter.ToUtf8(Traffic.Problem(h, s, Guid.CreateVersion7())));
            }
        }

        _plan.Clear();
        _repeats = new byte[Ops][];
        _idOffsets = new int[Ops];
        _redeliveries = new byte[Ops][];
        for (var i = 0; i < Ops; i++)
        {
            _repeats[i] = NotificationWriter.ToUtf8(Traffic.Problem(i % Hosts, i / Hosts, Guid.CreateVersion7()));
            _idOffsets[i] = _repeats[i].AsSpan().IndexOf("\"id\":\""u8) + 6;
            _redeliveries[i] = NotificationWriter.ToUtf8(Traffic.Problem(i % Hosts, i / Hosts, Guid.CreateVersion7()));
        }

        // The code under test must give the right answer before it is timed.
        Check(Apply(_repeats[0]) == ApplyOutcome.Repeated, "a copy of a firing problem must be a repeat");
        foreach (var record in _redeliveries)
        {
            Apply(record);
        }

        Check(Apply(_redeliveries[0]) == ApplyOutcome.Redelivered, "the same event id must be a redelivery");
        Check(_decider.LiveCount == Hosts * Services, "no incident may be opened by repeats");
        _plan.Clear();
    }

    [IterationSetup(Target = nameof(Repeat))]
    public void FreshEventIds()
    {
        // Each repeat is a new notification: give every record a new UUIDv7 in place, outside the timed loop.
        for (var i = 0; i < Ops; i++)
        {
            Utf8Formatter.TryFormat(Guid.CreateVersion7(), _repeats[i].AsSpan(_idOffsets[i], 36), out _);
        }

        _plan.Clear();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops)]
    public int Parse()
    {
        var n = 0;
        foreach (var record in _repeats)
        {
            n += NotificationParser.TryParse(record, out var fields, out _) ? (int)fields.Type : 0;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public int Repeat() => ApplyAll(_repeats);

    [Benchmark(OperationsPerInvoke = Ops)]
    public int Redelivery() => ApplyAll(_redeliveries);

    private int ApplyAll(byte[][] records)
    {
        var n = 0;
        foreach (var record in records)
        {
            n += (int)Apply(record);
        }

        return n;
    }

    private ApplyOutcome Apply(byte[] record)
    {
        return NotificationParser.TryParse(record, out var fields, out _)
            ? _decider.Apply(record, in fields, _now, knownApplied: false, _plan)
            : ApplyOutcome.Ignored;
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("benchmark set-up is wrong: " + what);
        }
    }
}
