using System.Globalization;
using System.Text;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>Titles and descriptions written for a helpdesk agent, from the notification that opened the incident.</summary>
public static class IncidentText
{
    public static string Title(Notification n)
    {
        var what = n.Type == NotificationType.FlappingStart ? "flapping" : NagiosNames.Of(n.State);
        return n.IsServiceNotification ? $"{n.Host} / {n.Service} is {what}" : $"{n.Host} is {what}";
    }

    private static readonly string[] RunbookLabels = ["Service runbook", "Service notes", "Service action", "Host runbook", "Host notes", "Host action"];

    /// <summary>
    /// The lines of a <see cref="Description"/> that stay true for as long as the incident lives: the object's runbook,
    /// notes and action links. What else it says (the state, the output, the details) was so when the incident opened;
    /// a reopened incident's message carries only these. Read up to the output's line, as they come before it, so a
    /// check's output can never pass for a runbook.
    /// </summary>
    public static string RunbookLines(string description)
    {
        var kept = new StringBuilder();
        foreach (var line in description.Split('\n'))
        {
            if (line.StartsWith("Output: ", StringComparison.Ordinal))
            {
                break;
            }

            if (Array.Exists(RunbookLabels, label => line.Length > label.Length + 2 && line.StartsWith(label, StringComparison.Ordinal)
                && line.AsSpan(label.Length).StartsWith(": ", StringComparison.Ordinal)))
            {
                kept.Append(line).Append('\n');
            }
        }

        return kept.ToString();
    }

    public static string Customer(Notification n) => n.Var("_SERVICECUSTOMER") ?? n.Var("_HOSTCUSTOMER") ?? "";

    public static string Description(Notification n)
    {
        var text = new StringBuilder();
        var what = n.IsServiceNotification ? $"Service '{n.Service}' on host '{n.Host}'" : $"Host '{n.Host}'";
        text.Append(CultureInfo.InvariantCulture, $"{what} is {NagiosNames.Of(n.State)}, reported by Nagios instance '{n.Instance}' at {n.ReportedAt:yyyy-MM-dd HH:mm:ss} UTC.\n");
        if (n.HostAlias.Length > 0 || n.HostAddress.Length > 0)
        {
            // "db01 (Database 01, 10.0.0.1)", "db01 (Database 01)" or "db01 (10.0.0.1)": never an empty part.
            var comma = n.HostAlias.Length > 0 && n.HostAddress.Length > 0 ? ", " : "";
            text.Append(CultureInfo.InvariantCulture, $"Host: {n.Host} ({n.HostAlias}{comma}{n.HostAddress})\n");
        }

        var customer = Customer(n);
        if (customer.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Customer: {customer}\n");
        }

        if (n.IsServiceNotification && n.HostState != AlertState.None)
        {
            text.Append(CultureInfo.InvariantCulture, $"Host state: {NagiosNames.Of(n.HostState)}\n");
        }

        // The runbook first: what Nagios' admins wrote for this object is what L1 needs before anything else.
        foreach (var (label, value) in (ReadOnlySpan<(string, string)>)[
            (RunbookLabels[0], n.ServiceNotesUrl), (RunbookLabels[1], n.ServiceNotes), (RunbookLabels[2], n.ServiceActionUrl),
            (RunbookLabels[3], n.HostNotesUrl), (RunbookLabels[4], n.HostNotes), (RunbookLabels[5], n.HostActionUrl)])
        {
            if (value.Length > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{label}: {value}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"Output: {n.Output}\n");
        if (n.LongOutput.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Details:\n{n.LongOutput}\n");
        }

        if (n.HostGroups.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Host groups: {n.HostGroups}\n");
        }

        if (n.ServiceGroups.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Service groups: {n.ServiceGroups}\n");
        }

        var problemId = ProblemId(n);
        if (problemId.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Nagios problem id: {problemId}\n");
        }

        return text.ToString();
    }

    /// <summary>Nagios' problem id: the current one when non-zero, else the last (Nagios 4.4.6 keeps the old id on a service RECOVERY, and moves it to the last id on a host RECOVERY).</summary>
    public static string ProblemId(Notification n) => n.IsServiceNotification
        ? ProblemId(n.ServiceProblemId, n.LastServiceProblemId)
        : ProblemId(n.HostProblemId, n.LastHostProblemId);

    /// <summary>The rule itself, for callers that read the two ids straight from a record.</summary>
    public static string ProblemId(string current, string last) => current.Length > 0 && current != "0" ? current : last == "0" ? "" : last;
}
