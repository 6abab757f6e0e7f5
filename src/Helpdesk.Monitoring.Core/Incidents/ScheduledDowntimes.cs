namespace Helpdesk.Monitoring.Incidents;

/// <summary>
/// The objects in scheduled downtime now, from DOWNTIMESTART until DOWNTIMEEND or DOWNTIMECANCELLED, whether or not
/// an incident was open when it started: a problem that begins inside a downtime opens in maintenance. Nagios itself
/// sends no problem notifications during downtime (nor for a service whose host is down for maintenance), but other
/// senders, the HTTP API and replays do. A host's downtime covers its services, as it does in Nagios. Each start and
/// end is written with the batch that brought it (<see cref="CommitPlan.Downtimes"/>), and a restart reads them back.
/// </summary>
internal sealed class ScheduledDowntimes
{
    private readonly Dictionary<byte[], DateTimeOffset> _since = new(FingerprintComparer.Instance);

    // The dictionary's size as of the last change, for readers on other threads (a metrics scrape).
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>What the store kept: the downtimes that had started and not ended before a restart.</summary>
    public void Restore(IEnumerable<ScheduledDowntime> kept)
    {
        foreach (var d in kept)
        {
            if (d.Since is { } since)
            {
                Started(d.Instance, d.Host, d.Service, since);
            }
        }
    }

    /// <summary>False when the object was in downtime already (the first start is kept).</summary>
    public bool Started(string instance, string host, string service, DateTimeOffset at) => Counted(_since.TryAdd(Fingerprint.Of(instance, host, service), at));

    /// <summary>False when the object was not in downtime.</summary>
    public bool Ended(string instance, string host, string service) => Counted(_since.Remove(Fingerprint.Of(instance, host, service)));

    private bool Counted(bool changed)
    {
        Volatile.Write(ref _count, _since.Count);
        return changed;
    }

    /// <summary>When the downtime covering this object started (its own, or its host's for a service); null when none does.</summary>
    public DateTimeOffset? Covering(string instance, string host, string service)
    {
        if (_since.Count == 0)
        {
            return null;
        }

        if (_since.TryGetValue(Fingerprint.Of(instance, host, service), out var own))
        {
            return own;
        }

        return service.Length > 0 && _since.TryGetValue(Fingerprint.Of(instance, host, ""), out var hosts) ? hosts : null;
    }
}
