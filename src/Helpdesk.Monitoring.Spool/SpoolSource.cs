using System.Collections.Concurrent;
using System.Reactive.Linq;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;

namespace Helpdesk.Monitoring.Spool;

/// <summary>
/// Reads the spool oldest TIMET first and hands each record to the pipeline. A file is deleted only when its
/// receipt says the store committed its effect; until then it stays on disk (and in the in-flight set, so it is not
/// read twice). A refused record is moved to the dead-letter area with its reason.
/// </summary>
public sealed class SpoolSource(SpoolPaths paths, DeadLetterDirectory deadLetters, SpoolOptions options, TimeProvider time, Action<string, Exception?> log)
{
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private long _backlog;

    /// <summary>Files in the spool at the last listing.</summary>
    public long Backlog => Interlocked.Read(ref _backlog);

    public IObservable<InboundNotification> Notifications =>
        Observable.Create<InboundNotification>(async (observer, cancellationToken) =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var emitted = 0;
                foreach (var item in Scan(cancellationToken))
                {
                    observer.OnNext(item);
                    emitted++;
                }

                // A full read means more may be waiting: look again at once.
                if (emitted == 0)
                {
                    await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
                }
            }
        });

    private IEnumerable<InboundNotification> Scan(CancellationToken cancellationToken)
    {
        var room = options.MaxInFlight - _inFlight.Count;
        if (room <= 0)
        {
            yield break;
        }

        string[] files;
        try
        {
            files = Directory.GetFiles(paths.Incoming, "*.json");
        }
        catch (IOException ex)
        {
            log($"cannot list spool {paths.Incoming}", ex);
            yield break;
        }

        Interlocked.Exchange(ref _backlog, files.Length);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (room == 0 || cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (_inFlight.ContainsKey(file) || Read(file) is not { } item)
            {
                continue;
            }

            room--;
            yield return item;
        }
    }

    private InboundNotification? Read(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException ex)
        {
            log($"cannot read spool file {file}; will retry", ex);
            return null;
        }

        if (!NotificationParser.TryParse(bytes, out var fields, out var failure))
        {
            DeadLetter(file, bytes, failure);
            return null;
        }

        _inFlight[file] = 0;
        return new InboundNotification(bytes, in fields, new SpoolReceipt(this, file));
    }

    private void DeadLetter(string file, byte[] bytes, ParseFailure failure)
    {
        try
        {
            // Dead letter first, delete second: a crash in between leaves a copy in both, never in neither.
            deadLetters.Write(new DeadLetter("spool", failure.Reason, $"{Path.GetFileName(file)}: {failure.Message}", bytes, time.GetUtcNow()));
            File.Delete(file);
            HelpdeskMetrics.Rejected(failure.Reason, "spool");
        }
        catch (IOException ex)
        {
            log($"cannot dead-letter spool file {file}; will retry", ex);
        }
    }

    private void Committed(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException ex)
        {
            // Left on disk it is read again and recognised as a redelivery: nothing doubles.
            log($"cannot delete committed spool file {file}", ex);
        }

        _inFlight.TryRemove(file, out _);
    }

    private sealed class SpoolReceipt(SpoolSource source, string file) : IngestReceipt
    {
        public override void Committed(ApplyOutcome outcome) => source.Committed(file);

        // Left in incoming/, the file is read again at the next scan.
        public override void Abandoned() => source._inFlight.TryRemove(file, out _);
    }
}
