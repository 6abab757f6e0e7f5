namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// The macro values of one notification, by Nagios macro name (NOTIFICATIONTYPE, HOSTNAME, _HOSTCUSTOMER ...):
/// read from NAGIOS_* environment variables, then overridden by command-line options.
/// </summary>
public sealed class NotificationInput
{
    private readonly Dictionary<string, string> _macros = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Macros => _macros;

    /// <summary>Takes NAGIOS_* variables; a custom host variable _CUSTOMER arrives as NAGIOS__HOSTCUSTOMER.</summary>
    public static NotificationInput FromEnvironment(System.Collections.IDictionary environment)
    {
        var input = new NotificationInput();
        foreach (System.Collections.DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith("NAGIOS_", StringComparison.Ordinal) && entry.Value is string value)
            {
                input._macros[name["NAGIOS_".Length..]] = value;
            }
        }

        return input;
    }

    public void Set(string macro, string? value)
    {
        if (value is not null)
        {
            _macros[macro] = value;
        }
    }

    public string Get(string macro) => _macros.TryGetValue(macro, out var value) ? value : "";
}
