namespace Helpdesk.Monitoring.Notifications;

/// <summary>The JSON spelling of each wire field, for error messages.</summary>
internal static class WireFieldText
{
    public static string Of(WireField field) => WireFields.Of(field).Name;
}
