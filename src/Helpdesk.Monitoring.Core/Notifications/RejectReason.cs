namespace Helpdesk.Monitoring.Notifications;

/// <summary>Why a record was refused: a small fixed set, so it can label metrics.</summary>
public enum RejectReason : byte
{
    None = 0,
    MalformedJson,
    UnsupportedVersion,
    MissingField,
    InvalidField,
    Oversized,
    UnknownType,

    /// <summary>Valid input whose processing threw: a bug, kept with its bytes for replay once fixed.</summary>
    ProcessingFailed,

    /// <summary>A spool entry that can never be a record (a link, a FIFO, a folder, too large, unreadable): set aside.</summary>
    Unusable,
}

/// <summary>Metric label and wording for <see cref="RejectReason"/>.</summary>
public static class RejectReasons
{
    public static string Label(RejectReason reason) => reason switch
    {
        RejectReason.MalformedJson => "malformed_json",
        RejectReason.UnsupportedVersion => "unsupported_version",
        RejectReason.MissingField => "missing_field",
        RejectReason.InvalidField => "invalid_field",
        RejectReason.Oversized => "oversized",
        RejectReason.UnknownType => "unknown_type",
        RejectReason.ProcessingFailed => "processing_failed",
        RejectReason.Unusable => "unusable_entry",
        _ => "none",
    };
}
