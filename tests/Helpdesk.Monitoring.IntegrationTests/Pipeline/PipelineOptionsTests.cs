using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.IntegrationTests.Pipeline;

/// <summary>Every pipeline setting out of range stops the start with a sentence naming it; the defaults are valid.</summary>
public sealed class PipelineOptionsTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    public static TheoryData<string, PipelineOptions, string?> Cases => new()
    {
        { "defaults", new PipelineOptions(), null },
        { "batch of 1", new PipelineOptions { BatchSize = 1 }, null },
        { "batch of 0", new PipelineOptions { BatchSize = 0 }, "Pipeline:BatchSize must be between 1 and 100000" },
        { "batch of 100000", new PipelineOptions { BatchSize = 100_000 }, null },
        { "batch of 100001", new PipelineOptions { BatchSize = 100_001 }, "Pipeline:BatchSize must be between 1 and 100000" },
        { "freshness 1 s", new PipelineOptions { SharedStateFreshness = TimeSpan.FromSeconds(1) }, null },
        { "freshness past 1 s", new PipelineOptions { SharedStateFreshness = TimeSpan.FromSeconds(1) + Ms }, "Pipeline:SharedStateFreshness must be between 0 and 1 second" },
        { "freshness negative", new PipelineOptions { SharedStateFreshness = -Ms }, "Pipeline:SharedStateFreshness must be between 0 and 1 second" },
        { "window 1 s", new PipelineOptions { BatchWindow = TimeSpan.FromSeconds(1) }, null },
        { "window past 1 s", new PipelineOptions { BatchWindow = TimeSpan.FromSeconds(1) + Ms }, "Pipeline:BatchWindow must be between 0 and 1 second" },
        { "window negative", new PipelineOptions { BatchWindow = -Ms }, "Pipeline:BatchWindow must be between 0 and 1 second" },
        { "tick zero", new PipelineOptions { TickInterval = TimeSpan.Zero }, "Pipeline:TickInterval, MaxRetryDelay and PruneInterval must be positive" },
        { "retry zero", new PipelineOptions { MaxRetryDelay = TimeSpan.Zero }, "Pipeline:TickInterval, MaxRetryDelay and PruneInterval must be positive" },
        { "prune zero", new PipelineOptions { PruneInterval = TimeSpan.Zero }, "Pipeline:TickInterval, MaxRetryDelay and PruneInterval must be positive" },
        { "grace zero", new PipelineOptions { StoreFailureGrace = TimeSpan.Zero }, null },
        { "grace negative", new PipelineOptions { StoreFailureGrace = -Ms }, "Pipeline:StoreFailureGrace must not be negative" },
        { "retention 1 h", new PipelineOptions { AppliedEventRetention = TimeSpan.FromHours(1) }, null },
        { "retention under 1 h", new PipelineOptions { AppliedEventRetention = TimeSpan.FromHours(1) - Ms }, "Pipeline:AppliedEventRetention must be at least one hour (redeliveries arrive minutes late)" },
    };

    [Theory]
    // Options objects are not serializable, so the cases are enumerated when the theory runs, not at discovery.
    [MemberData(nameof(Cases), DisableDiscoveryEnumeration = true)]
    public void A_setting_out_of_range_is_named(string what, PipelineOptions options, string? error) =>
        Assert.True(error == options.Validate(), $"{what}: expected {error ?? "valid"}, got {options.Validate() ?? "valid"}");
}
