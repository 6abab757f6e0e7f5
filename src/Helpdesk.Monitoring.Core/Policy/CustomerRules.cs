namespace Helpdesk.Monitoring.Policy;

/// <summary>
/// Who at each customer hears about their incidents (the rules file's <c>customers</c> section): contact addresses,
/// the language of what they are sent, and how often an open incident gets a status update, per priority.
/// A customer not named here hears nothing.
/// </summary>
public sealed record CustomerRules
{
    /// <summary>The languages customer messages are written in.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "de"];

    /// <summary>By name, without regard to case (as the rules' customer patterns match).</summary>
    public IReadOnlyDictionary<string, CustomerContact> Customers { get; init; } = new Dictionary<string, CustomerContact>(StringComparer.OrdinalIgnoreCase);

    public CustomerContact? Of(string customer) => Customers.GetValueOrDefault(customer);

    /// <summary>How often an open incident of <paramref name="customer"/> at <paramref name="priority"/> gets a status update; null: never.</summary>
    public TimeSpan? UpdateInterval(string customer, Priority priority) =>
        Of(customer) is { } contact && contact.UpdateEvery.TryGetValue(priority, out var every) ? every : null;
}

/// <summary>One customer's contacts, language and status-update intervals.</summary>
public sealed record CustomerContact(IReadOnlyList<string> Contacts, string Language, IReadOnlyDictionary<Priority, TimeSpan> UpdateEvery);
