namespace Helpdesk.Monitoring.Notifications;

/// <summary>The ten notification types Nagios 4 raises ($NOTIFICATIONTYPE$).</summary>
public enum NotificationType : byte
{
    None = 0,
    Problem,
    Recovery,
    Acknowledgement,
    FlappingStart,
    FlappingStop,
    FlappingDisabled,
    DowntimeStart,
    DowntimeEnd,
    DowntimeCancelled,
    Custom,
}
