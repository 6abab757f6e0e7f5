using Microsoft.AspNetCore.Http;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>
/// Keys that let helpdesk agents (and their tools) act on incidents. Separate from the ingest keys on purpose: the key
/// on every Nagios server can send notifications, but must not be able to resolve incidents.
/// </summary>
public sealed class AgentKeys(IEnumerable<string> keys)
{
    private readonly IngestKeys _keys = new(keys);

    public bool Configured => _keys.Configured;

    public bool Allows(HttpRequest request) => _keys.Allows(request);
}
