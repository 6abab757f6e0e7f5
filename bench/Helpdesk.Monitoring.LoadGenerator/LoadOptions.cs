using System.Globalization;

namespace Helpdesk.Monitoring.LoadGenerator;

/// <summary>Command-line settings of a load run.</summary>
internal sealed record LoadOptions
{
    public int Customers { get; init; } = 50;
    public int HostsPerCustomer { get; init; } = 200;
    public int BatchSize { get; init; } = 100;
    public int Connections { get; init; } = 4;
    public double RepeatRatio { get; init; } = 0.9;
    public int DurationSeconds { get; init; } = 30;
    public string Synchronous { get; init; } = "FULL";
    public string? Output { get; init; }

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            o = args[i] switch
            {
                "--customers" => o with { Customers = int.Parse(v, CultureInfo.InvariantCulture) },
                "--hosts" => o with { HostsPerCustomer = int.Parse(v, CultureInfo.InvariantCulture) },
                "--batch" => o with { BatchSize = int.Parse(v, CultureInfo.InvariantCulture) },
                "--connections" => o with { Connections = int.Parse(v, CultureInfo.InvariantCulture) },
                "--repeat-ratio" => o with { RepeatRatio = double.Parse(v, CultureInfo.InvariantCulture) },
                "--duration" => o with { DurationSeconds = int.Parse(v, CultureInfo.InvariantCulture) },
                "--synchronous" => o with { Synchronous = v },
                "--out" => o with { Output = v },
                _ => throw new ArgumentException($"unknown option {args[i]} (see bench/README.md)"),
            };
        }

        return o;
    }
}
