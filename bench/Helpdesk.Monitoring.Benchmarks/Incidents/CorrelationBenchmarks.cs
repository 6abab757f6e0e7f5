using System.Text;
using BenchmarkDotNet.Attributes;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Benchmarks.Incidents;

/// <summary>
/// Correlation decisions under a 10,100-host topology read from an objects.cache: 100 core routers, each with 10
/// switches, each with 9 servers. A core router goes down (issue 3: benchmarks under a 10,000-host topology):
/// <list type="bullet">
/// <item>UnreachableJoin: the 10 switches and 90 servers behind it report UNREACHABLE and their 450 services CRITICAL;
/// each is explained by a failing parent (or host) and joins the router's incident.</item>
/// <item>UncorrelatedOpen: new problems on healthy servers: every topology look-up finds nothing, a new incident opens.</item>
/// <item>MemberRepeat: another contact's copy of a correlated alert: the storm-of-repeats path for members.</item>
/// </list>
/// The decider is rebuilt before each invocation (outside the timing), with 10,000 unrelated open incidents in it.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[InvocationCount(1, 1)]
public class CorrelationBenchmarks
{
    private const int Cores = 100;
    private const int SwitchesPerCore = 10;
    private const int ServersPerSwitch = 9;
    private const long T1 = Traffic.T0 + 600;

    private readonly CommitPlan _plan = new();
    private IncidentPolicy _policy = null!;
    private byte[][] _background = [];
    private byte[] _coreDown = [];
    private byte[][] _explained = [];
    private byte[][] _uncorrelated = [];
    private byte[][] _repeats = [];
    private IncidentDecider _decider = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        var cache = new StringBuilder();
        for (var c = 0; c < Cores; c++)
        {
            cache.Append("define host {\n\thost_name\tcore").Append(c).Append("\n\t}\n");
            for (var s = 0; s < SwitchesPerCore; s++)
            {
                cache.Append("define host {\n\thost_name\tsw").Append(c).Append('-').Append(s).Append("\n\tparents\tcore").Append(c).Append("\n\t}\n");
                for (var h = 0; h < ServersPerSwitch; h++)
                {
                    cache.Append("define host {\n\thost_name\tsrv").Append(c).Append('-').Append(s).Append('-').Append(h)
                        .Append("\n\tparents\tsw").Append(c).Append('-').Append(s).Append("\n\t}\n");
                }
            }
        }

        var topology = ObjectsCacheReader.Read(new StringReader(cache.ToString()));
        Check(topology.HostCount == Cores * (1 + (SwitchesPerCore * (1 + ServersPerSwitch))), "the topology must hold 10,100 hosts");
        _policy = Traffic.WithoutStorm with { Topology = new LiveTopology(topology) };
        _now = DateTimeOffset.FromUnixTimeSeconds(T1 + 60);
        _background = Enumerable.Range(0, 10_000).Select(i => Bytes(Traffic.Problem(i % 2000, i / 2000, Guid.CreateVersion7()))).ToArray();
        _coreDown = Bytes(Traffic.HostProblem("core7", AlertState.Down, Guid.CreateVersion7(), T1));

        var explained = new List<byte[]>();
        for (var s = 0; s < SwitchesPerCore; s++)
        {
            explained.Add(Bytes(Traffic.HostProblem($"sw7-{s}", AlertState.Unreachable, Guid.CreateVersion7(), T1 + 1)));
            for (var h = 0; h < ServersPerSwitch; h++)
            {
                explained.Add(Bytes(Traffic.HostProblem($"srv7-{s}-{h}", AlertState.Unreachable, Guid.CreateVersion7(), T1 + 2)));
                foreach (var service in Traffic.Services)
                {
                    explained.Add(Bytes(Traffic.ServiceProblem($"srv7-{s}-{h}", service, Guid.CreateVersion7(), T1 + 3)));
                }
            }
        }

        _explained = [.. explained];
        _uncorrelated = Enumerable.Range(0, _explained.Length).Select(i => Bytes(Traffic.ServiceProblem($"srv8-{i % 10}-{i / 10 % 9}", $"Check {i}", Guid.CreateVersion7(), T1 + 3))).ToArray();

        // Right answers before timing: every explained alert joins the one incident; the others open their own.
        Reset();
        Check(_explained.All(r => Apply(r) == ApplyOutcome.Correlated), "every alert behind the router must be correlated");
        Check(_uncorrelated.All(r => Apply(r) == ApplyOutcome.Opened), "alerts behind healthy switches must open incidents");
        _repeats = _explained.Select(r => Bytes(Copy(r))).ToArray();
        Check(_repeats.All(r => Apply(r) == ApplyOutcome.Repeated), "a copy of a correlated alert must be a repeat");
    }

    [IterationSetup(Targets = [nameof(UnreachableJoin), nameof(UncorrelatedOpen)])]
    public void Reset()
    {
        _decider = new IncidentDecider(_policy, [], 0, 0);
        foreach (var record in _background)
        {
            Apply(record);
        }

        Apply(_coreDown);
        _plan.Clear();
    }

    [IterationSetup(Target = nameof(MemberRepeat))]
    public void ResetWithMembers()
    {
        Reset();
        foreach (var record in _explained)
        {
            Apply(record);
        }

        _repeats = _explained.Select(r => Bytes(Copy(r))).ToArray();
        _plan.Clear();
    }

    [Benchmark(OperationsPerInvoke = 550)]
    public int UnreachableJoin() => ApplyAll(_explained);

    [Benchmark(OperationsPerInvoke = 550)]
    public int UncorrelatedOpen() => ApplyAll(_uncorrelated);

    [Benchmark(OperationsPerInvoke = 550)]
    public int MemberRepeat() => ApplyAll(_repeats);

    private int ApplyAll(byte[][] records)
    {
        var n = 0;
        foreach (var record in records)
        {
            n += (int)Apply(record);
        }

        return n;
    }

    private ApplyOutcome Apply(byte[] record) =>
        NotificationParser.TryParse(record, out var fields, out _)
            ? _decider.Apply(record, in fields, _now, knownApplied: false, _plan)
            : ApplyOutcome.Ignored;

    private static Notification Copy(byte[] record)
    {
        Check(NotificationParser.TryParse(record, out var fields, out _), "records must parse");
        return NotificationDecoder.Decode(record, in fields) with { EventId = Guid.CreateVersion7() };
    }

    private static byte[] Bytes(Notification n) => NotificationWriter.ToUtf8(n);

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("benchmark set-up is wrong: " + what);
        }
    }
}
