using System.Text.Json;

namespace Helpdesk.Monitoring.Policy;

public static partial class RulesFile
{
    /// <summary>The shortest status-update interval: more often would bury a customer in mail.</summary>
    private static readonly TimeSpan ShortestUpdateInterval = TimeSpan.FromMinutes(5);

    private static CustomerRules ReadCustomers(JsonElement e, List<string> errors)
    {
        if (!IsObject(e, "customers", errors))
        {
            return new CustomerRules();
        }

        // Names are matched as the rules' customer patterns are, without regard to case: _HOSTCUSTOMER=ACME in Nagios
        // is acme's, which a routing rule for "acme" already said; an exact match alone left such a customer unwritten to.
        var customers = new Dictionary<string, CustomerContact>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in e.EnumerateObject())
        {
            var at = $"customers.{property.Name}";
            var item = property.Value;
            if (customers.ContainsKey(property.Name))
            {
                var earlier = customers.Keys.First(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                errors.Add($"{at}: the same customer as '{earlier}' (names are matched without regard to case): give each once");
                continue;
            }

            if (!IsObject(item, at, errors))
            {
                continue;
            }

            Known(item, at + ".", errors, "contacts", "language", "updateEvery");
            var contacts = Words(item, "contacts", at, errors);
            if (contacts.Count == 0)
            {
                errors.Add($"{at}.contacts: name at least one e-mail address");
            }

            foreach (var contact in contacts.Where(c => !LooksLikeAddress(c)))
            {
                errors.Add($"{at}.contacts: '{contact}' is not an e-mail address");
            }

            var language = item.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : "en";
            if (!CustomerRules.Languages.Contains(language))
            {
                errors.Add($"{at}.language: '{language}' is not one of {string.Join(", ", CustomerRules.Languages)}");
            }

            var every = new Dictionary<Priority, TimeSpan>();
            if (item.TryGetProperty("updateEvery", out var intervals) && IsObject(intervals, at + ".updateEvery", errors))
            {
                foreach (var interval in intervals.EnumerateObject())
                {
                    if (!TryParsePriority(interval.Name, out var priority))
                    {
                        errors.Add($"{at}.updateEvery: '{interval.Name}' is not P1, P2, P3, P4 or P5");
                    }
                    else if (interval.Value.ValueKind != JsonValueKind.String || !Duration.TryParse(interval.Value.GetString()!, out var span) || span < ShortestUpdateInterval)
                    {
                        errors.Add($"{at}.updateEvery.{interval.Name}: must be a duration of at least 5m, such as \"30m\" or \"4h\"");
                    }
                    else
                    {
                        every[priority] = span;
                    }
                }
            }

            customers[property.Name] = new CustomerContact(contacts, language, every);
        }

        return new CustomerRules { Customers = customers };
    }

    // A name, one '@' and a domain, no spaces or control characters: enough to catch what a mail server would bounce
    // ("ops@", "@example.com", "a@b@example.com"); the core has no mail library to parse them fully.
    private static bool LooksLikeAddress(string contact)
    {
        var at = contact.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == contact.LastIndexOf('@') && at < contact.Length - 1 && !contact.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }
}
