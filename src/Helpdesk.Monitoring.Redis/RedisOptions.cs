namespace Helpdesk.Monitoring.Redis;

/// <summary>Helpdesk:Redis: the shared state of the scale-out mode; empty configuration for none.</summary>
public sealed class RedisOptions
{
    /// <summary>A StackExchange.Redis configuration string (host:port,password=…,ssl=true); secrets from the environment.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>
    /// The key prefix. Its braces are a Redis Cluster hash tag: every key of a batch's script lives in one slot, as a
    /// script's keys must.
    /// </summary>
    public string KeyPrefix { get; set; } = "{helpdesk}";

    /// <summary>
    /// How long an applied event id is remembered; older redeliveries are checked against the store. Redeliveries come
    /// within minutes (a hand-over, a relay restart); Redis holds rate × TTL ids at about 50 bytes each.
    /// </summary>
    public TimeSpan SeenTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many writes (batches) the change log keeps: an instance further behind (a long pause) rebuilds from the store.
    /// Bounds Redis memory: older members and closed incidents leave it.
    /// </summary>
    public int LogWindow { get; set; } = 100_000;

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    public IEnumerable<string> Validate()
    {
        if (Enabled && SeenTtl < TimeSpan.FromMinutes(1))
        {
            yield return "Helpdesk:Redis:SeenTtl must be at least one minute";
        }

        if (Enabled && LogWindow < 10)
        {
            yield return "Helpdesk:Redis:LogWindow must be at least 10 writes";
        }

        if (Enabled && (!KeyPrefix.StartsWith('{') || !KeyPrefix.Contains('}', StringComparison.Ordinal)))
        {
            yield return "Helpdesk:Redis:KeyPrefix must start with a {hash tag} so that Redis Cluster keeps a batch's keys in one slot";
        }

        if (Enabled && ConfigurationRefusal() is { } refusal)
        {
            yield return $"Helpdesk:Redis:Configuration cannot be used: {refusal}";
        }
    }

    // Read here, at start, with the other settings: read only when the pipeline connects, a mistake would stop the
    // service once running, with a stack trace, at every restart. The client's message names a keyword and a typed
    // value (a port, a flag), never the password.
    private string? ConfigurationRefusal()
    {
        try
        {
            StackExchange.Redis.ConfigurationOptions.Parse(Configuration);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
