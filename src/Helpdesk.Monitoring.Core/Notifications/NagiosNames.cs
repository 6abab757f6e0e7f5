namespace Helpdesk.Monitoring.Notifications;

/// <summary>Nagios' spelling of notification types and states, in both directions.</summary>
public static class NagiosNames
{
    public static string Of(NotificationType type) => type switch
    {
        NotificationType.Problem => "PROBLEM",
        NotificationType.Recovery => "RECOVERY",
        NotificationType.Acknowledgement => "ACKNOWLEDGEMENT",
        NotificationType.FlappingStart => "FLAPPINGSTART",
        NotificationType.FlappingStop => "FLAPPINGSTOP",
        NotificationType.FlappingDisabled => "FLAPPINGDISABLED",
        NotificationType.DowntimeStart => "DOWNTIMESTART",
        NotificationType.DowntimeEnd => "DOWNTIMEEND",
        NotificationType.DowntimeCancelled => "DOWNTIMECANCELLED",
        NotificationType.Custom => "CUSTOM",
        _ => "",
    };

    public static string Of(AlertState state) => state switch
    {
        AlertState.Up => "UP",
        AlertState.Down => "DOWN",
        AlertState.Unreachable => "UNREACHABLE",
        AlertState.Ok => "OK",
        AlertState.Warning => "WARNING",
        AlertState.Critical => "CRITICAL",
        AlertState.Unknown => "UNKNOWN",
        _ => "",
    };

    public static NotificationType ParseType(ReadOnlySpan<byte> utf8) => utf8.Length switch
    {
        6 when utf8.SequenceEqual("CUSTOM"u8) => NotificationType.Custom,
        7 when utf8.SequenceEqual("PROBLEM"u8) => NotificationType.Problem,
        8 when utf8.SequenceEqual("RECOVERY"u8) => NotificationType.Recovery,
        12 when utf8.SequenceEqual("FLAPPINGSTOP"u8) => NotificationType.FlappingStop,
        11 when utf8.SequenceEqual("DOWNTIMEEND"u8) => NotificationType.DowntimeEnd,
        13 when utf8.SequenceEqual("FLAPPINGSTART"u8) => NotificationType.FlappingStart,
        13 when utf8.SequenceEqual("DOWNTIMESTART"u8) => NotificationType.DowntimeStart,
        15 when utf8.SequenceEqual("ACKNOWLEDGEMENT"u8) => NotificationType.Acknowledgement,
        16 when utf8.SequenceEqual("FLAPPINGDISABLED"u8) => NotificationType.FlappingDisabled,
        17 when utf8.SequenceEqual("DOWNTIMECANCELLED"u8) => NotificationType.DowntimeCancelled,
        _ => NotificationType.None,
    };

    public static AlertState ParseHostState(ReadOnlySpan<byte> utf8) => utf8.Length switch
    {
        2 when utf8.SequenceEqual("UP"u8) => AlertState.Up,
        4 when utf8.SequenceEqual("DOWN"u8) => AlertState.Down,
        11 when utf8.SequenceEqual("UNREACHABLE"u8) => AlertState.Unreachable,
        _ => AlertState.None,
    };

    public static AlertState ParseServiceState(ReadOnlySpan<byte> utf8) => utf8.Length switch
    {
        2 when utf8.SequenceEqual("OK"u8) => AlertState.Ok,
        7 when utf8.SequenceEqual("WARNING"u8) => AlertState.Warning,
        8 when utf8.SequenceEqual("CRITICAL"u8) => AlertState.Critical,
        7 when utf8.SequenceEqual("UNKNOWN"u8) => AlertState.Unknown,
        _ => AlertState.None,
    };

    public static NotificationType ParseType(string text) => ParseType(System.Text.Encoding.UTF8.GetBytes(text));

    public static AlertState ParseHostState(string text) => ParseHostState(System.Text.Encoding.UTF8.GetBytes(text));

    public static AlertState ParseServiceState(string text) => ParseServiceState(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A host or service state word (as the stores keep an alert's state, whichever it is).</summary>
    public static AlertState ParseState(string text) => ParseHostState(text) is var host and not AlertState.None ? host : ParseServiceState(text);

    /// <summary>How bad a state is, so an incident can remember its worst: DOWN and CRITICAL rank highest.</summary>
    public static int Severity(AlertState state) => state switch
    {
        AlertState.Down or AlertState.Critical => 3,
        AlertState.Unreachable or AlertState.Unknown => 2,
        AlertState.Warning => 1,
        _ => 0,
    };

    public static bool IsHealthy(AlertState state) => state is AlertState.Ok or AlertState.Up;
}
