using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Tests;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.IntegrationTests.Spool;

/// <summary>The policy files as the service and the CLI open them.</summary>
public sealed class LocalFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_rules_file_is_read_and_a_missing_one_is_named_in_a_sentence()
    {
        var path = _dir.Combine("rules.json");
        File.WriteAllText(path, """{ "version": 1, "sla": { "l1Window": "10m" } }""");
        var (rules, errors) = LocalFiles.ReadRules(path);
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMinutes(10), rules!.Sla.L1Window);

        var missing = _dir.Combine("nope.json");
        var (none, why) = LocalFiles.ReadRules(missing);
        Assert.Null(none);
        Assert.StartsWith($"cannot read {missing}: ", Assert.Single(why), StringComparison.Ordinal);
    }

    [Fact]
    public void An_objects_cache_is_read_from_its_file()
    {
        var path = _dir.Combine("objects.cache");
        File.WriteAllText(path, ObjectsCacheText.Hosts([("core01", null), ("leaf01", "core01")]));
        Assert.Equal(2, LocalFiles.ReadTopology(path).HostCount);
        Assert.Throws<FileNotFoundException>(() => LocalFiles.ReadTopology(_dir.Combine("missing.cache")));
    }
}
