namespace Helpdesk.Monitoring.Hosting;

/// <summary>
/// Whether the pipeline has rebuilt its state and is consuming, and whether its store still commits; why not, if not.
/// </summary>
public sealed class PipelineReadiness
{
    private volatile string _reason = "starting";
    private volatile bool _ready;
    private volatile Func<string?> _degraded = static () => null;
    private readonly TaskCompletionSource _storeOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the store is open and migrated: what background work on the store waits for.</summary>
    public Task StoreOpen => _storeOpen.Task;

    public void StoreOpened() => _storeOpen.TrySetResult();

    public bool IsReady => _ready && _degraded() is null;

    public string Reason => _ready ? _degraded() ?? "ready" : _reason;

    public void Ready() => _ready = true;

    public void NotReady(string reason)
    {
        _reason = reason;
        _ready = false;
    }

    /// <summary>A check run at every readiness question while running: a reason when the service cannot do its work.</summary>
    public void DegradedWhen(Func<string?> check) => _degraded = check;
}
