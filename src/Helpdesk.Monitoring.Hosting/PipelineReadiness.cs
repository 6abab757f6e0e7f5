namespace Helpdesk.Monitoring.Hosting;

/// <summary>Whether the pipeline has rebuilt its state and is consuming; why not, if not.</summary>
public sealed class PipelineReadiness
{
    private volatile string _reason = "starting";
    private volatile bool _ready;

    public bool IsReady => _ready;

    public string Reason => _reason;

    public void Ready() => _ready = true;

    public void NotReady(string reason)
    {
        _reason = reason;
        _ready = false;
    }
}
