using System.Text.Json;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>Reads the custom-variable object of a wire record.</summary>
internal static class VarNames
{
    public static bool HaveDuplicates(ReadOnlySpan<byte> varsObject)
    {
        // At most 64 names: a quadratic check over a small array is cheaper than a set, and runs only when vars exist.
        var names = Read(varsObject);
        for (var i = 0; i < names.Count; i++)
        {
            for (var j = i + 1; j < names.Count; j++)
            {
                if (names[i].Key == names[j].Key)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The custom variables by name, for a decoded notification (the parser has refused a name given twice).</summary>
    public static IReadOnlyDictionary<string, string> ReadByName(ReadOnlySpan<byte> varsObject)
    {
        if (varsObject.IsEmpty)
        {
            return Notification.EmptyVars;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(varsObject);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            result[name] = reader.GetString()!;
        }

        return result.Count == 0 ? Notification.EmptyVars : result;
    }

    /// <summary>One custom variable's value, or null: for a decision that needs only it, without decoding the record.</summary>
    public static string? Find(ReadOnlySpan<byte> varsObject, string name)
    {
        if (varsObject.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(varsObject);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Compared as JSON text, so an escaped name matches as the decoded dictionary's key would.
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                return reader.GetString();
            }
        }

        return null;
    }

    public static List<KeyValuePair<string, string>> Read(ReadOnlySpan<byte> varsObject)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (varsObject.IsEmpty)
        {
            return result;
        }

        var reader = new Utf8JsonReader(varsObject);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            result.Add(new(name, reader.GetString()!));
        }

        return result;
    }
}
