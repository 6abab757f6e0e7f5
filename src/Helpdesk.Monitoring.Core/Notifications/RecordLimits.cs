namespace Helpdesk.Monitoring.Notifications;

/// <summary>Size limits of one wire record, shared by the notification command, the parser and the HTTP ingest.</summary>
public static class RecordLimits
{
    /// <summary>Nagios caps plugin output at 8 KiB per field; 64 KiB leaves room for long output and every macro.</summary>
    public const int MaxRecordBytes = 64 * 1024;

    /// <summary>Host names, service descriptions and instance names longer than this are not real Nagios objects.</summary>
    public const int MaxNameBytes = 255;

    public const int MaxVars = 64;
}
