using System.Reflection;
using System.Xml.Linq;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Tests;

/// <summary>The core stays a domain core: no package references, no I/O assemblies.</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] IoAssemblies =
    [
        "Confluent.Kafka", "StackExchange.Redis", "Microsoft.Data.SqlClient", "Microsoft.Data.Sqlite", "SQLitePCLRaw",
        "Microsoft.AspNetCore", "System.Net.Http", "System.Net.Sockets", "System.Reactive",
    ];

    [Fact]
    public void The_core_assembly_references_no_io_package()
    {
        var references = typeof(IncidentDecider).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.DoesNotContain(IoAssemblies, io => reference.StartsWith(io, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_core_project_has_no_package_or_project_references()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Helpdesk.Monitoring.Core", "Helpdesk.Monitoring.Core.csproj"));
        Assert.DoesNotContain(project.Descendants(), e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "FrameworkReference");

        // The only package every src project gets is an analyzer, which ships nothing.
        var shared = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Directory.Build.props"));
        Assert.All(shared.Descendants().Where(e => e.Name.LocalName == "PackageReference"), reference =>
        {
            Assert.EndsWith("Analyzers", reference.Attribute("Include")!.Value, StringComparison.Ordinal);
            Assert.Equal("all", reference.Attribute("PrivateAssets")?.Value);
        });
    }

    /// <summary>
    /// The allowed project graph: adapters depend on the core only, the pipeline on the core, the programs on what they
    /// run. A new arrow is a design decision: change it here, on purpose.
    /// </summary>
    private static readonly Dictionary<string, string[]> AllowedReferences = new()
    {
        ["Core"] = [],
        ["Pipeline"] = ["Core"],
        ["Files"] = ["Core"],
        ["Spool"] = ["Files"],
        ["Kafka"] = ["Core"],
        ["Redis"] = ["Core"],
        ["Sqlite"] = ["Core"],
        ["SqlServer"] = ["Core"],
        ["Cli"] = ["Files"],
        ["Relay"] = ["Kafka", "Spool"],
        ["Outbound"] = ["Core", "Files"],
        ["Hosting"] = ["Kafka", "Outbound", "Pipeline", "Redis", "SqlServer", "Sqlite", "Spool"],
        ["Service"] = ["Hosting"],
    };

    [Fact]
    public void Every_project_references_only_what_the_design_allows()
    {
        var actual = ProjectReferences();
        Assert.Equal(AllowedReferences.Keys.Order(), actual.Keys.Order());
        foreach (var (project, references) in actual)
        {
            Assert.True(AllowedReferences[project].Order().SequenceEqual(references.Order()),
                $"{project} references {string.Join(", ", references.Order())}; allowed: {string.Join(", ", AllowedReferences[project].Order())}");
        }
    }

    [Fact]
    public void The_notification_command_that_runs_on_the_nagios_server_carries_no_rx_pipeline_store_or_kafka_client()
    {
        var graph = ProjectReferences();
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(graph["Cli"]);
        while (pending.TryPop(out var project))
        {
            if (reached.Add(project))
            {
                foreach (var next in graph[project])
                {
                    pending.Push(next);
                }
            }
        }

        Assert.Equal(["Core", "Files"], reached);

        // And none of what it reaches brings a package: the command's only one is its argument parser.
        var packages = reached.Append("Cli").SelectMany(PackageReferences).Order().ToArray();
        Assert.Equal(["System.CommandLine"], packages);
    }

    private static string[] PackageReferences(string project) =>
        XDocument.Load(Path.Combine(RepositoryRoot(), "src", $"Helpdesk.Monitoring.{project}", $"Helpdesk.Monitoring.{project}.csproj")).Descendants()
            .Where(e => e.Name.LocalName == "PackageReference").Select(e => e.Attribute("Include")!.Value).ToArray();

    [Fact]
    public void No_two_namespaces_use_each_other_directly_or_around_a_loop()
    {
        // Namespace → the product namespaces its files import (`using Helpdesk.Monitoring.X;`), over every source file.
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            var ns = lines.FirstOrDefault(l => l.StartsWith("namespace Helpdesk.Monitoring", StringComparison.Ordinal))?["namespace ".Length..].TrimEnd(';');
            if (ns is null)
            {
                continue;
            }

            var uses = graph.TryGetValue(ns, out var found) ? found : graph[ns] = new HashSet<string>(StringComparer.Ordinal);
            uses.UnionWith(lines.Where(l => l.StartsWith("using Helpdesk.Monitoring", StringComparison.Ordinal)).Select(l => l["using ".Length..].TrimEnd(';')).Where(u => u != ns));
        }

        Assert.Contains("Helpdesk.Monitoring.Incidents", graph.Keys);
        foreach (var start in graph.Keys)
        {
            // Every namespace reachable from start; reaching start again is a cycle.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<(string Namespace, string Path)>(graph[start].Select(n => (n, start + " → " + n)));
            while (pending.TryPop(out var next))
            {
                Assert.False(next.Namespace == start, "namespace cycle: " + next.Path);
                if (seen.Add(next.Namespace) && graph.TryGetValue(next.Namespace, out var onward))
                {
                    foreach (var n in onward)
                    {
                        pending.Push((n, next.Path + " → " + n));
                    }
                }
            }
        }
    }

    private static Dictionary<string, string[]> ProjectReferences() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetFileNameWithoutExtension(path)["Helpdesk.Monitoring.".Length..],
            path => XDocument.Load(path).Descendants().Where(e => e.Name.LocalName == "ProjectReference")
                .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value)["Helpdesk.Monitoring.".Length..]).ToArray());

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Helpdesk.Monitoring.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Helpdesk.Monitoring.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Names_avoid_manager_helper_util()
    {
        var bad = typeof(IncidentDecider).Assembly.GetTypes().Concat(typeof(Pipeline.IncidentPipeline).Assembly.GetTypes())
            .Where(t => t.Name.Contains("Manager", StringComparison.Ordinal) || t.Name.Contains("Helper", StringComparison.Ordinal) || t.Name.EndsWith("Util", StringComparison.Ordinal) || t.Name.EndsWith("Utils", StringComparison.Ordinal))
            .Select(t => t.FullName);
        Assert.Empty(bad);
    }
}
