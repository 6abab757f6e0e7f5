using System.Text.Json;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>Why a request body is not the JSON an endpoint takes, told in the caller's terms.</summary>
internal static class JsonBodies
{
    public static string Explain(JsonException ex)
    {
        // A value of the wrong type makes the serializer name our own classes ("could not be converted to
        // Helpdesk.Monitoring.Hosting.Api.AgentRequestJson"), which mean nothing to the caller: name the field instead.
        if (ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal)
            && ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return $"\"{path[2..]}\" has a value of the wrong type";
        }

        var message = ex.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return ex.LineNumber is { } line && ex.BytePositionInLine is { } at ? $"{message} (line {line + 1}, byte {at + 1})" : message;
    }
}
