using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// Dead letters as one JSON file each: source, reason, message, arrival time and the exact payload (as text when it is
/// valid UTF-8, and always as base64), written durably so a refused record is never lost. The folder is bounded: a
/// payload beyond <see cref="DeadLetterLimits.MaxPayloadBytes"/> is cut (the letter says so), letters older than the
/// retention are deleted, and a letter that would take the folder past its size bound is dropped and counted, so a
/// flood of garbage cannot fill the disk.
/// </summary>
public sealed class DeadLetterDirectory : IDeadLetterSink
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly string _directory;
    private readonly string _temporary;
    private readonly DeadLetterLimits _limits;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _bytes;
    private long _dropped;
    private DateTimeOffset _nextSweep;

    public DeadLetterDirectory(string directory, DeadLetterLimits? limits = null, TimeProvider? time = null)
    {
        _directory = directory;
        _temporary = Path.Combine(directory, ".tmp");
        _limits = limits ?? new DeadLetterLimits();
        _time = time ?? TimeProvider.System;
        SpoolPaths.EnsureSharedDirectory(directory);
        SpoolPaths.EnsureSharedDirectory(_temporary);

        // The first write sweeps: `helpdesk notify` constructs one for every notification and rarely writes.
        _nextSweep = DateTimeOffset.MinValue;
    }

    /// <summary>Letters dropped since start because the folder was at its size bound.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Bytes the letters in the folder take, as last counted.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Called with the source of every letter dropped at the size bound (the service counts them in /metrics).</summary>
    public Action<string>? OnDropped { get; init; }

    public ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(letter);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes the letter durably; returns its path, or null when the folder is at its size bound.</summary>
    public string? Write(DeadLetter letter)
    {
        var payload = letter.Payload.Span;
        var message = letter.Message;
        if (payload.Length > _limits.MaxPayloadBytes)
        {
            message += string.Create(CultureInfo.InvariantCulture, $" (payload cut from {payload.Length} to its first {_limits.MaxPayloadBytes} bytes)");
            payload = payload[.._limits.MaxPayloadBytes];
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("source", letter.Source);
            w.WriteString("reason", RejectReasons.Label(letter.Reason));
            w.WriteString("message", message);
            w.WriteString("receivedAt", letter.ReceivedAt);
            if (Utf8.IsValid(payload))
            {
                w.WriteString("payload", payload);
            }

            w.WriteBase64String("payloadBase64", payload);
            w.WriteEndObject();
        }

        if (!Reserve(buffer.WrittenCount))
        {
            Interlocked.Increment(ref _dropped);
            OnDropped?.Invoke(letter.Source);
            return null;
        }

        var name = letter.ReceivedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N") + ".json";
        var path = Path.Combine(_directory, name);
        try
        {
            DurableFile.Write(_temporary, path, buffer.WrittenSpan);
        }
        catch
        {
            Interlocked.Add(ref _bytes, -buffer.WrittenCount);
            throw;
        }

        return path;
    }

    private bool Reserve(long size)
    {
        var now = _time.GetUtcNow();
        if (now >= _nextSweep)
        {
            Sweep(now);
        }

        lock (_gate)
        {
            if (_bytes + size > _limits.MaxBytes)
            {
                return false;
            }

            _bytes += size;
            return true;
        }
    }

    /// <summary>Deletes letters past the retention and counts what stays; at most every few minutes.</summary>
    private void Sweep(DateTimeOffset now)
    {
        _nextSweep = now + TimeSpan.FromMinutes(5);
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(_directory).EnumerateFiles("*.json"))
            {
                if (file.LastWriteTimeUtc < (now - _limits.Retention).UtcDateTime)
                {
                    file.Delete();
                }
                else
                {
                    total += file.Length;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The count stays as it was; the next sweep tries again.
            return;
        }

        lock (_gate)
        {
            _bytes = total;
        }
    }
}
