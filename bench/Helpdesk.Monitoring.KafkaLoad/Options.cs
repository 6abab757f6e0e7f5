using System.Globalization;

namespace Helpdesk.Monitoring.KafkaLoad;

/// <summary>Command-line settings of a Kafka load run (see bench/README.md).</summary>
internal sealed record Options
{
    public string Pattern { get; init; } = "storm";
    public int Rate { get; init; }
    public int Duration { get; init; } = 20;
    public int Partitions { get; init; } = 24;
    public int Customers { get; init; } = 20;
    public int Hosts { get; init; } = 100;
    public string Synchronous { get; init; } = "FULL";
    public string? Output { get; init; }

    /// <summary>The generator's producer linger; null keeps the relay's own (1 ms).</summary>
    public int? LingerMs { get; init; }

    /// <summary>The service consumer's fetch.wait.max.ms; null keeps the service's own.</summary>
    public int? FetchWaitMs { get; init; }

    /// <summary>Start a redis-server beside the service and share its state there (the co-located set-up).</summary>
    public bool Redis { get; init; }

    /// <summary>
    /// "mock": the mock cluster keeps each partition's log up to its own cap (5 MB). "commit": the generator drops
    /// records behind the service group's commit, as a real broker's retention would (see <see cref="RetentionBehindCommit"/>).
    /// </summary>
    public string Retention { get; init; } = "mock";

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            o = args[i] switch
            {
                "--pattern" when v is "storm" or "changes" => o with { Pattern = v },
                "--rate" => o with { Rate = int.Parse(v, CultureInfo.InvariantCulture) },
                "--duration" => o with { Duration = int.Parse(v, CultureInfo.InvariantCulture) },
                "--partitions" => o with { Partitions = int.Parse(v, CultureInfo.InvariantCulture) },
                "--customers" => o with { Customers = int.Parse(v, CultureInfo.InvariantCulture) },
                "--hosts" => o with { Hosts = int.Parse(v, CultureInfo.InvariantCulture) },
                "--synchronous" => o with { Synchronous = v },
                "--out" => o with { Output = v },
                "--linger-ms" => o with { LingerMs = int.Parse(v, CultureInfo.InvariantCulture) },
                "--fetch-wait-ms" => o with { FetchWaitMs = int.Parse(v, CultureInfo.InvariantCulture) },
                "--retention" when v is "mock" or "commit" => o with { Retention = v },
                "--redis" when v is "on" or "off" => o with { Redis = v == "on" },
                _ => throw new ArgumentException($"bad option {args[i]} {v} (see bench/README.md)"),
            };
        }

        return o;
    }
}
