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
    private readonly Subject<InboundNotification> _inner = new();
    private readonly ISubject<InboundNotification> _subject;
    private readonly int _maxInFlight;
    private int _inFlight;

    public HttpIngest(int maxInFlight)
    {
        _maxInFlight = maxInFlight;

        // One synchronised wrapper for all requests: Rx observers must never see two OnNext calls at once.
        _subject = Subject.Synchronize(_inner);
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

    public void Push(InboundNotification notification) => _subject.OnNext(notification);

    public void Dispose() => _inner.Dispose();
}
