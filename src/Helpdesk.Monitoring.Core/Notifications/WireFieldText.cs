namespace Helpdesk.Monitoring.Notifications;

/// <summary>The JSON spelling of each wire field, for error messages and the writer.</summary>
internal static class WireFieldText
{
    public static string Of(WireField field) => field switch
    {
        WireField.V => "v",
        WireField.Id => "id",
        WireField.Instance => "instance",
        WireField.Type => "type",
        WireField.TimeT => "timet",
        WireField.Host => "host",
        WireField.HostAlias => "hostAlias",
        WireField.HostAddress => "hostAddress",
        WireField.HostState => "hostState",
        WireField.HostStateType => "hostStateType",
        WireField.HostOutput => "hostOutput",
        WireField.LongHostOutput => "longHostOutput",
        WireField.Service => "service",
        WireField.ServiceState => "serviceState",
        WireField.ServiceStateType => "serviceStateType",
        WireField.ServiceAttempt => "serviceAttempt",
        WireField.ServiceOutput => "serviceOutput",
        WireField.LongServiceOutput => "longServiceOutput",
        WireField.ServiceProblemId => "serviceProblemId",
        WireField.LastServiceProblemId => "lastServiceProblemId",
        WireField.HostProblemId => "hostProblemId",
        WireField.LastHostProblemId => "lastHostProblemId",
        WireField.NotificationNumber => "notificationNumber",
        WireField.Author => "author",
        WireField.Comment => "comment",
        WireField.LongDateTime => "longDateTime",
        WireField.HostGroups => "hostGroups",
        WireField.ServiceGroups => "serviceGroups",
        WireField.Vars => "vars",
        _ => "?",
    };
}
