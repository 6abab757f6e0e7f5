using System.Collections.Concurrent;
using System.Reactive.Linq;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using Helpdesk.Monitoring.Diagnostics;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Spool;

/// <summary>
/// Reads the spool oldest TIMET first and hands each record to the pipeline. A file is deleted only when its
/// receipt says the store committed its effect; until then it stays on disk (and in the in-flight set, so it is not
/// read twice). A refused record is moved to the dead-letter area with its reason; an entry that can never be a record
/// (a link, a FIFO, a folder, a file too large or unreadable) is moved to <c>quarantine/</c>, so one bad entry never
/// stops the files after it. New files wake the reader at once (inotify); the poll interval is only a fallback, so an
/// idle spool costs nothing.
/// </summary>
public sealed class SpoolSource(SpoolPaths paths, DeadLetterDirectory deadLetters, SpoolOptions options, TimeProvider time, Action<string, Exception?> log)
{
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    // Entries that could not even be set aside (their folder forbids it): skipped, and logged once, not every scan.
    private readonly ConcurrentDictionary<string, byte> _stuck = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _nextHousekeeping = DateTimeOffset.MinValue;
    private long _backlog;
    private long _rejectedFiles;
    private long _quarantinedFiles;

    /// <summary>Told of every input this source refused and dead-lettered (or set aside), with the reason: the metrics count it.</summary>
    public event Action<RejectReason>? Rejected;

    /// <summary>Entries waiting in <c>incoming/</c> at the last listing, whether read yet or not.</summary>
    public long Backlog => Interlocked.Read(ref _backlog);

    /// <summary>Inputs the notification command refused, kept in <c>rejected/</c> for an admin to look at.</summary>
    public long RejectedFiles => Interlocked.Read(ref _rejectedFiles);

    /// <summary>Entries set aside in <c>quarantine/</c>.</summary>
    public long QuarantinedFiles => Interlocked.Read(ref _quarantinedFiles);

    public IObservable<InboundNotification> Notifications =>
        Observable.Create<InboundNotification>(async (observer, cancellationToken) =>
        {
            using var watcher = Watch();
            while (!cancellationToken.IsCancellationRequested)
            {
                // A fresh wake-up before each listing: a file arriving during the listing wakes the next wait at once.
                Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                Housekeep();
                var emitted = 0;
                foreach (var item in Scan(cancellationToken))
                {
                    observer.OnNext(item);
                    emitted++;
                }

                // A full read means more may be waiting: look again at once.
                if (emitted == 0)
                {
                    await WaitAsync(Volatile.Read(ref _wake).Task, cancellationToken).ConfigureAwait(false);
                }
            }
        });

    private async Task WaitAsync(Task woken, CancellationToken cancellationToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(options.PollInterval, time, poll.Token);
        await Task.WhenAny(woken, timer).ConfigureAwait(false);
        await poll.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private FileSystemWatcher? Watch()
    {
        try
        {
            // notify renames tmp/x.tmp to incoming/x.json: that is a rename into the folder, or a create.
            var watcher = new FileSystemWatcher(paths.Incoming) { NotifyFilter = NotifyFilters.FileName, IncludeSubdirectories = false };
            watcher.Created += (_, _) => Wake();
            watcher.Renamed += (_, _) => Wake();
            watcher.Error += (_, e) => { log("the spool watcher failed; polling instead", e.GetException()); Wake(); };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // inotify instances exhausted, an odd file system: the poll interval still finds every file.
            log($"cannot watch {paths.Incoming}; polling every {options.PollInterval.TotalSeconds:0.###} s instead", ex);
            return null;
        }
    }

    private IEnumerable<InboundNotification> Scan(CancellationToken cancellationToken)
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(paths.Incoming);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log($"cannot list spool {paths.Incoming}", ex);
            yield break;
        }

        Interlocked.Exchange(ref _backlog, entries.Length);
        var room = options.MaxInFlight - _inFlight.Count;
        if (room <= 0)
        {
            yield break;
        }

        Array.Sort(entries, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (room == 0 || cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (_inFlight.ContainsKey(entry) || _stuck.ContainsKey(entry) || Read(entry) is not { } item)
            {
                continue;
            }

            room--;
            yield return item;
        }
    }

    private InboundNotification? Read(string entry)
    {
        var read = entry.EndsWith(".json", StringComparison.Ordinal)
            ? SpoolEntryReader.Read(entry, RecordLimits.MaxRecordBytes)
            : SpoolEntry.Refused("its name does not end in .json, so `helpdesk notify` did not write it");
        switch (read.Kind)
        {
            case SpoolEntryKind.Gone:
                return null;
            case SpoolEntryKind.Retry:
                log($"cannot read spool file {entry}: {read.Reason}; will retry", null);
                return null;
            case SpoolEntryKind.Refused:
                SetAside(entry, read.Reason);
                return null;
        }

        var bytes = read.Bytes!;
        if (!NotificationParser.TryParse(bytes, out var fields, out var failure))
        {
            DeadLetter(entry, bytes, failure);
            return null;
        }

        _inFlight[entry] = 0;
        return new InboundNotification(bytes, in fields, new SpoolReceipt(this, entry, bytes));
    }

    /// <summary>Moves an entry that can never be a record to quarantine/ (a rename: a link moves as a link) and says why.</summary>
    private void SetAside(string entry, string reason)
    {
        var name = Path.GetFileName(entry);
        var target = Path.Combine(paths.Quarantine, name);
        try
        {
            if (Path.Exists(target))
            {
                target = Path.Combine(paths.Quarantine, $"{name}.{Guid.NewGuid():N}");
            }

            if (new DirectoryInfo(entry) is { Exists: true, LinkTarget: null })
            {
                Directory.Move(entry, target);
            }
            else
            {
                File.Move(entry, target);
            }

            DurableFile.SyncDirectory(paths.Quarantine);
            deadLetters.Write(new DeadLetter("spool", RejectReason.Unusable, $"{name}: {reason}; moved to {target}", ReadOnlyMemory<byte>.Empty, time.GetUtcNow()));
            Rejected?.Invoke(RejectReason.Unusable);
            log($"spool entry {name} set aside in {paths.Quarantine}: {reason}", null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_stuck.TryAdd(entry, 0))
            {
                log($"spool entry {name} can never be a record ({reason}) and cannot be moved to {paths.Quarantine}; it is skipped until the service restarts", ex);
            }
        }
    }

    private void DeadLetter(string file, byte[] bytes, ParseFailure failure)
    {
        try
        {
            // Dead letter first, delete second: a crash in between leaves a copy in both, never in neither.
            deadLetters.Write(new DeadLetter("spool", failure.Reason, $"{Path.GetFileName(file)}: {failure.Message}", bytes, time.GetUtcNow()));
            File.Delete(file);
            Rejected?.Invoke(failure.Reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_stuck.TryAdd(file, 0))
            {
                log($"cannot dead-letter spool file {file}; it is skipped until the service restarts", ex);
            }
        }
    }

    private void Committed(string file)
    {
        try
        {
            CrashPoint.Reach(CrashPoint.SpoolBeforeDelete);
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left on disk it would be read again and recognised as a redelivery, forever: skip it instead, and say
            // so once. The folder's permissions (the service's group must be able to write incoming/) need fixing.
            if (_stuck.TryAdd(file, 0))
            {
                log($"cannot delete committed spool file {file} (its effect is committed; a redelivery changes nothing); "
                    + "the service's user needs write access to the spool folder", ex);
            }
        }

        _inFlight.TryRemove(file, out _);
        Wake();
    }

    /// <summary>Every half minute: abandoned temporaries removed; files in rejected/ and quarantine/ counted for /metrics.</summary>
    private void Housekeep()
    {
        var now = time.GetUtcNow();
        if (now < _nextHousekeeping)
        {
            return;
        }

        _nextHousekeeping = now + TimeSpan.FromSeconds(30);
        SpoolTemporaries.RemoveAbandoned(paths.Temporary, now, options.AbandonedTemporaryAge, log);
        Interlocked.Exchange(ref _rejectedFiles, CountEntries(paths.Rejected, "*.json"));
        Interlocked.Exchange(ref _quarantinedFiles, CountEntries(paths.Quarantine));
    }

    private static long CountEntries(string directory, string pattern = "*")
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory, pattern).LongCount();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private sealed class SpoolReceipt(SpoolSource source, string file, byte[] bytes) : IngestReceipt
    {
        public override void Committed(ApplyOutcome outcome) => source.Committed(file);

        // Left in incoming/, the file is read again at the next scan.
        public override void Abandoned()
        {
            source._inFlight.TryRemove(file, out _);
            source.Wake();
        }

        // The bytes read when it was offered: the file is not read again (it could have been swapped since).
        public override void Refused(ParseFailure failure)
        {
            source.DeadLetter(file, bytes, failure);
            source._inFlight.TryRemove(file, out _);
            source.Wake();
        }
    }
}
