using System.Text.Json;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>
/// One row per field of the v1 wire record, in the order the writer writes them: its JSON name, the Nagios macro
/// <c>helpdesk notify</c> reads it from (<c>NAGIOS_</c> + macro), and the notify option that overrides the macro. The
/// one place a field is spelled: the parser's name matcher, the writer, error messages and the notify command's
/// options are made from it.
/// </summary>
public static class WireFields
{
    internal static readonly WireFieldRow[] Rows =
    [
        new(WireField.V, "v", "", "", ""),
        new(WireField.Id, "id", "", "", ""),
        new(WireField.Instance, "instance", "", "", ""),
        new(WireField.Type, "type", "NOTIFICATIONTYPE", "--type", "PROBLEM, RECOVERY, ACKNOWLEDGEMENT, FLAPPINGSTART, ... (NAGIOS_NOTIFICATIONTYPE)"),
        new(WireField.TimeT, "timet", "TIMET", "--timet", "epoch seconds Nagios reported (default: now)"),
        new(WireField.Host, "host", "HOSTNAME", "--host", "host name (NAGIOS_HOSTNAME)"),
        new(WireField.HostAlias, "hostAlias", "HOSTALIAS", "--host-alias", "host alias", n => n.HostAlias),
        new(WireField.HostAddress, "hostAddress", "HOSTADDRESS", "--host-address", "host address", n => n.HostAddress),
        new(WireField.HostState, "hostState", "HOSTSTATE", "--host-state", "UP, DOWN or UNREACHABLE", n => NagiosNames.Of(n.HostState)),
        new(WireField.HostStateType, "hostStateType", "HOSTSTATETYPE", "", "", n => n.HostStateType),
        new(WireField.HostOutput, "hostOutput", "HOSTOUTPUT", "--host-output", "host check output", n => n.HostOutput),
        new(WireField.LongHostOutput, "longHostOutput", "LONGHOSTOUTPUT", "", "", n => n.LongHostOutput),
        new(WireField.Service, "service", "SERVICEDESC", "--service", "service description; empty for a host notification", n => n.Service),
        new(WireField.ServiceState, "serviceState", "SERVICESTATE", "--service-state", "OK, WARNING, CRITICAL or UNKNOWN", n => NagiosNames.Of(n.ServiceState)),
        new(WireField.ServiceStateType, "serviceStateType", "SERVICESTATETYPE", "", "", n => n.ServiceStateType),
        new(WireField.ServiceAttempt, "serviceAttempt", "SERVICEATTEMPT", "", ""),
        new(WireField.ServiceOutput, "serviceOutput", "SERVICEOUTPUT", "--service-output", "service check output", n => n.ServiceOutput),
        new(WireField.LongServiceOutput, "longServiceOutput", "LONGSERVICEOUTPUT", "--long-output", "long service output", n => n.LongServiceOutput),
        new(WireField.ServiceProblemId, "serviceProblemId", "SERVICEPROBLEMID", "--problem-id", "service problem id", n => n.ServiceProblemId),
        new(WireField.LastServiceProblemId, "lastServiceProblemId", "LASTSERVICEPROBLEMID", "--last-problem-id", "last service problem id", n => n.LastServiceProblemId),
        new(WireField.HostProblemId, "hostProblemId", "HOSTPROBLEMID", "--host-problem-id", "host problem id", n => n.HostProblemId),
        new(WireField.LastHostProblemId, "lastHostProblemId", "LASTHOSTPROBLEMID", "--last-host-problem-id", "last host problem id", n => n.LastHostProblemId),
        new(WireField.NotificationNumber, "notificationNumber", "NOTIFICATIONNUMBER", "--notification-number", "notification number"),
        new(WireField.Author, "author", "NOTIFICATIONAUTHOR", "--author", "acknowledgement or comment author", n => n.Author),
        new(WireField.Comment, "comment", "NOTIFICATIONCOMMENT", "--comment", "acknowledgement or comment text", n => n.Comment),
        new(WireField.LongDateTime, "longDateTime", "LONGDATETIME", "", "", n => n.LongDateTime),
        new(WireField.HostGroups, "hostGroups", "HOSTGROUPNAMES", "--host-groups", "comma-separated host groups", n => n.HostGroups),
        new(WireField.ServiceGroups, "serviceGroups", "SERVICEGROUPNAMES", "--service-groups", "comma-separated service groups", n => n.ServiceGroups),
        new(WireField.HostNotes, "hostNotes", "HOSTNOTES", "--host-notes", "the host's notes (a runbook line)", n => n.HostNotes),
        new(WireField.HostNotesUrl, "hostNotesUrl", "HOSTNOTESURL", "--host-notes-url", "the host's notes URL (its runbook)", n => n.HostNotesUrl),
        new(WireField.HostActionUrl, "hostActionUrl", "HOSTACTIONURL", "--host-action-url", "the host's action URL", n => n.HostActionUrl),
        new(WireField.ServiceNotes, "serviceNotes", "SERVICENOTES", "--service-notes", "the service's notes (a runbook line)", n => n.ServiceNotes),
        new(WireField.ServiceNotesUrl, "serviceNotesUrl", "SERVICENOTESURL", "--service-notes-url", "the service's notes URL (its runbook)", n => n.ServiceNotesUrl),
        new(WireField.ServiceActionUrl, "serviceActionUrl", "SERVICEACTIONURL", "--service-action-url", "the service's action URL", n => n.ServiceActionUrl),
        new(WireField.Vars, "vars", "", "", ""),
    ];

    private static readonly WireFieldRow[] ByField = Index();

    /// <summary>The notify command's options: each overrides the Nagios macro it names.</summary>
    public static IEnumerable<(string Option, string Macro, string Help)> Options =>
        Rows.Where(r => r.Option.Length > 0).Select(r => (r.Option, r.Macro, r.Help));

    internal static WireFieldRow Of(WireField field) => ByField[(int)field];

    private static WireFieldRow[] Index()
    {
        var byField = new WireFieldRow[Enum.GetValues<WireField>().Length];
        byField[(int)WireField.Unknown] = new WireFieldRow(WireField.Unknown, "?", "", "", "");
        foreach (var row in Rows)
        {
            byField[(int)row.Field] = row;
        }

        return byField;
    }
}

/// <summary>One field of the wire record (see <see cref="WireFields"/>); <see cref="Text"/> reads an optional text field.</summary>
internal sealed record WireFieldRow(WireField Field, string Name, string Macro, string Option, string Help, Func<Notification, string>? Text = null)
{
    public JsonEncodedText Encoded { get; } = JsonEncodedText.Encode(Name);

    public byte[] Utf8 { get; } = System.Text.Encoding.UTF8.GetBytes(Name);
}
