namespace Helpdesk.Monitoring.Spool;

/// <summary>What reading one spool entry gave: a record's bytes, nothing (it is gone), a refusal, or a retry later.</summary>
public sealed record SpoolEntry(SpoolEntryKind Kind, byte[]? Bytes, string Reason)
{
    public static SpoolEntry Gone { get; } = new(SpoolEntryKind.Gone, null, "");

    public static SpoolEntry Record(byte[] bytes) => new(SpoolEntryKind.Record, bytes, "");

    /// <summary>The entry can never be a record (a link, a FIFO, too large, unreadable): it is set aside.</summary>
    public static SpoolEntry Refused(string reason) => new(SpoolEntryKind.Refused, null, reason);

    /// <summary>A passing failure (out of file descriptors, an I/O error): read it again at a later scan.</summary>
    public static SpoolEntry Retry(string reason) => new(SpoolEntryKind.Retry, null, reason);
}

/// <summary>The kinds of <see cref="SpoolEntry"/>.</summary>
public enum SpoolEntryKind
{
    Gone,
    Record,
    Refused,
    Retry,
}
