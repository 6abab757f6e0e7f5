using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Helpdesk.Monitoring.Tests.Scenarios;

/// <summary>
/// A scenario file: notifications as Nagios would send them (seconds after the start), clock advances, and the
/// incidents expected at the end, in id order. See files/README.md for the format.
/// </summary>
internal sealed record Scenario
{
    public required string Name { get; init; }

    /// <summary>Why the scenario exists: the behaviour it pins down.</summary>
    public string Covers { get; init; } = "";

    /// <summary>A rules file (as in production); null for the built-in rules.</summary>
    public JsonObject? Rules { get; init; }

    /// <summary>objects.cache text (lines), for parents and dependencies.</summary>
    public IReadOnlyList<string> Topology { get; init; } = [];

    /// <summary>
    /// Whether the outcome may depend on the arrival order of notifications Nagios sends at the same moment (storms
    /// and full groups do: which alert comes first decides what opens); such scenarios skip the shuffle property.
    /// </summary>
    public bool OrderSensitive { get; init; }

    public required IReadOnlyList<ScenarioStep> Steps { get; init; }

    public required IReadOnlyList<ExpectedIncident> Expect { get; init; }

    [JsonIgnore]
    public string File { get; init; } = "";

    public override string ToString() => Path.GetFileNameWithoutExtension(File);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static Scenario Load(string path) =>
        (JsonSerializer.Deserialize<Scenario>(System.IO.File.ReadAllText(path), Options) ?? throw new InvalidDataException(path)) with { File = path };

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Scenarios", "files");

    public static IEnumerable<string> Files() => System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal);
}

/// <summary>One notification (with "type") or one clock advance (with "advance").</summary>
internal sealed record ScenarioStep
{
    /// <summary>Seconds after the scenario's start: the notification's TIMET.</summary>
    public long At { get; init; }

    public string? Advance { get; init; }

    public string? Type { get; init; }
    public string Host { get; init; } = "";
    public string Service { get; init; } = "";
    public string State { get; init; } = "";
    public string Output { get; init; } = "";
    public string Instance { get; init; } = "nagios-a";
    public string Customer { get; init; } = "acme";
    public string Author { get; init; } = "";
    public string Comment { get; init; } = "";
    public string HostGroups { get; init; } = "";

    /// <summary>How many contacts get it: Nagios sends one identical notification per contact.</summary>
    public int Contacts { get; init; } = 1;
}

/// <summary>What an incident must look like at the end; only the fields given are checked.</summary>
internal sealed record ExpectedIncident
{
    public required string Host { get; init; }

    /// <summary>A pattern (* and ?): a storm incident's service is "storm" and its start time.</summary>
    public string Service { get; init; } = "";
    public required string Status { get; init; }
    public string? Priority { get; init; }
    public string? Tier { get; init; }
    public long? Alerts { get; init; }
    public string? Rule { get; init; }

    /// <summary>Members as host or host/service, with "+" when recovered; compared as a set.</summary>
    public IReadOnlyList<string>? Members { get; init; }

    /// <summary>The host of the incident it was merged into.</summary>
    public string? MergedInto { get; init; }

    public bool? Flapping { get; init; }
    public bool? InMaintenance { get; init; }

    /// <summary>Texts that must appear on its timeline.</summary>
    public IReadOnlyList<string> Timeline { get; init; } = [];
}
