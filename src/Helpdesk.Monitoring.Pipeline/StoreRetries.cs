using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using Polly;
using Polly.Retry;

namespace Helpdesk.Monitoring.Pipeline;

/// <summary>
/// How the committer retries the store (Polly): exponential back-off from 100 ms up to
/// <see cref="PipelineOptions.MaxRetryDelay"/>, on the committer's clock, each failure counted and logged. A commit gets
/// a few attempts (a plan the store keeps refusing is decided again from a fresh state); a load or a rebuild retries
/// for as long as the store is down, because there is nothing else to decide with.
/// </summary>
internal static class StoreRetries
{
    public const int CommitAttempts = 5;

    public static ResiliencePipeline ForCommit(PipelineOptions options, TimeProvider time, HelpdeskMetrics metrics, Action<string, Exception?> log) =>
        Build(options, time, CommitAttempts - 1, "commit", metrics, log);

    public static ResiliencePipeline UntilDone(PipelineOptions options, TimeProvider time, HelpdeskMetrics metrics, Action<string, Exception?> log) =>
        Build(options, time, int.MaxValue, "store operation", metrics, log);

    private static ResiliencePipeline Build(PipelineOptions options, TimeProvider time, int retries, string what, HelpdeskMetrics metrics, Action<string, Exception?> log) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // Anything the store throws, unless the service is stopping.
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = options.MaxRetryDelay,
                UseJitter = false,
                OnRetry = args =>
                {
                    metrics.CommitFailed();
                    // An outage says what to mend in its message; its stack trace would only repeat with every retry.
                    log(args.Outcome.Exception is StoreUnavailableException unavailable
                        ? $"{what} failed (attempt {args.AttemptNumber + 1}): {unavailable.Message}; retrying in {args.RetryDelay.TotalSeconds:0.0}s"
                        : $"{what} failed (attempt {args.AttemptNumber + 1}); retrying in {args.RetryDelay.TotalSeconds:0.0}s",
                        args.Outcome.Exception is StoreUnavailableException ? null : args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
