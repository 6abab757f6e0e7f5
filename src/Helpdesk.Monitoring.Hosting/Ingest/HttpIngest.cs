using System.Reactive.Subjects;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Hosting.Ingest;

/// <summary>
/// The HTTP source of the pipeline: requests push parsed notifications in, from many threads at once. At most
/// <see cref="MaxInFlight"/> records wait for their commit; beyond that callers are told to come back (503), so a
/// slow or failing store bounds memory instead of filling it.
/// </summary>
public sealed class HttpIngest : IDisposable
{
    private readonly Subject<InboundNotification> _subject = new();

    // One gate for all requests: Rx observers must never see two OnNext calls at once. A request takes it once for
    // all its records.
    private readonly Lock _gate = new();
    private readonly int _maxInFlight;
    private int _inFlight;

    public HttpIngest(int maxInFlight)
    {
        _maxInFlight = maxInFlight;
    }

    public int MaxInFlight => _maxInFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public IObservable<InboundNotification> Notifications => _subject;

    /// <summary>Claims room for <paramref name="count"/> records; false when that would pass the limit.</summary>
    public bool TryReserve(int count)
    {
        while (true)
        {
            var current = Volatile.Read(ref _inFlight);
            if (current + count > _maxInFlight)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _inFlight, current + count, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back room when a record is committed.</summary>
    public void Release(int count) => Interlocked.Add(ref _inFlight, -count);

    public void Push(InboundNotification notification) => Push(new ReadOnlySpan<InboundNotification>(in notification));

    /// <summary>A request's records, one after another: they reach the pipeline together, in their order.</summary>
    public void Push(ReadOnlySpan<InboundNotification> notifications)
    {
        lock (_gate)
        {
            foreach (var notification in notifications)
            {
                _subject.OnNext(notification);
            }
        }
    }

    public void Dispose() => _subject.Dispose();
}
