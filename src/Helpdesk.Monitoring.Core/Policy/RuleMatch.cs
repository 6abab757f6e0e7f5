using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// The "match" of a rule: every condition given must hold (patterns use * and ?). Host and service groups match when
/// any of the notification's groups does. An empty match matches everything.
/// </summary>
public sealed record RuleMatch
{
    public string? Customer { get; init; }
    public string? Host { get; init; }
    public string? Service { get; init; }
    public string? HostGroup { get; init; }
    public string? ServiceGroup { get; init; }

    public bool Matches(Notification n, string customer) =>
        (Customer is null || Glob.Matches(Customer, customer))
        && (Host is null || Glob.Matches(Host, n.Host))
        && (Service is null || Glob.Matches(Service, n.Service))
        && (HostGroup is null || AnyGroup(HostGroup, n.HostGroups))
        && (ServiceGroup is null || AnyGroup(ServiceGroup, n.ServiceGroups));

    private static bool AnyGroup(string pattern, string groups)
    {
        foreach (var group in groups.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Glob.Matches(pattern, group))
            {
                return true;
            }
        }

        return false;
    }
}
