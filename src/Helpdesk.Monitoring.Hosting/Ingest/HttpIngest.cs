using System.Reactive.Subjects;
using Helpdesk.Monitoring.Pipeline;

namespace Helpdesk.Monitoring.Hosting.Ingest;

/// <summary>The HTTP source of the pipeline: requests push parsed notifications in, from many threads at once.</summary>
public sealed class HttpIngest : IDisposable
{
    private readonly Subject<InboundNotification> _inner = new();
    private readonly ISubject<InboundNotification> _subject;

    public HttpIngest() => _subject = Subject.Synchronize(_inner);

    public IObservable<InboundNotification> Notifications => _subject;

    public void Push(InboundNotification notification) => _subject.OnNext(notification);

    public void Dispose() => _inner.Dispose();
}
