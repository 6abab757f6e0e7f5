namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>A traffic mix: how many notifications repeat a firing identity, how many go in one request, over how many connections.</summary>
internal sealed record Workload(string Name, string Description, double RepeatRatio, int Batch, int Connections)
{
    public static readonly IReadOnlyList<Workload> All =
    [
        new("storm", "storm: 90 % repeats, 100 per POST, 4 connections", 0.9, 100, 4),
        new("changes", "every notification changes state: 100 per POST, 4 connections", 0.0, 100, 4),
        new("single", "one notification per POST (90 % repeats), 8 connections", 0.9, 1, 8),
    ];
}

/// <summary>One system's steady phase under one workload.</summary>
internal sealed record RunResult(string System, Workload Workload, int Run, long Sent, long Taken, TimeSpan Elapsed, double[] LatenciesMs, double CpuSeconds,
    long RssBytes, long PeakRssBytes, int Expected, int Missing, int Extra, double ChangeShare)
{
    public double Rate => Taken / Elapsed.TotalSeconds;

    public double PerCpuSecond => CpuSeconds == 0 ? 0 : Taken / CpuSeconds;

    public bool Verified => Missing == 0 && Extra == 0 && Taken == Sent;

    public double Percentile(double p) => LatenciesMs.Length == 0 ? 0 : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p / 100 * LatenciesMs.Length))];
}
