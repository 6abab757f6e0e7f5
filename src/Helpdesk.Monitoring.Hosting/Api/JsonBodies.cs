using System.Text.Json;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>Why a request body is not the JSON an endpoint takes, told in the caller's terms.</summary>
internal static class JsonBodies
{
    public static string Explain(JsonException ex)
    {
        // A value of the wrong type makes the serializer name our own classes ("could not be converted to
        // Helpdesk.Monitoring.Hosting.Api.AgentRequestJson"), which mean nothing to the caller: name the field instead.
        if (ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal)
                ? $"\"{path[2..]}\" has a value of the wrong type"
                : "it is not a JSON object";
        }

        return JsonSyntax.Explain(ex, "a request body here is one object of plain values");
    }
}
