using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Policy;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Monitoring.Hosting.Ingest;

/// <summary>
/// Properties of posted records that no v1 field has. They are ignored, so that a newer writer's records still go
/// through; but a misspelt one (<c>customVars</c> for <c>vars</c>) would quietly lose what it carried (the customer,
/// and with it the routing), so the sender is told in the answer, and the log says each name once.
/// </summary>
public sealed class IgnoredProperties(ILogger<IgnoredProperties> logger)
{
    /// <summary>At most this many names an answer lists, and the log remembers.</summary>
    private const int MaxNames = 100;

    private readonly ConcurrentDictionary<string, bool> _told = new(StringComparer.Ordinal);

    /// <summary>The sentences for the answer (null when no record had such a property); logs each name the first time.</summary>
    public IReadOnlyList<string>? Of(List<(ReadOnlyMemory<byte> Record, NotificationFields Fields)> records)
    {
        List<string>? names = null;

        // By reference: every answer looks at every record's flag, and the fields are a few hundred bytes each.
        foreach (ref readonly var record in CollectionsMarshal.AsSpan(records))
        {
            if (!record.Fields.IgnoredProperties)
            {
                continue;
            }

            names ??= [];
            foreach (var name in NotificationParser.IgnoredNames(record.Record.Span, MaxNames))
            {
                if (names.Count < MaxNames && !names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        if (names is null)
        {
            return null;
        }

        var sentences = names.Select(Sentence).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            if (_told.Count < MaxNames && _told.TryAdd(names[i], true))
            {
                logger.LogWarning("Posted notifications carry a property the service ignores: {Sentence}", sentences[i]);
            }
        }

        return sentences;
    }

    private static string Sentence(string name)
    {
        // The sender's text goes to the log: no control character in it may start a line of its own or move a terminal.
        var shown = string.Concat(name.Take(64).Select(c => char.IsControl(c) ? '\uFFFD' : c)) + (name.Length > 64 ? "…" : "");

        // A slip of the keyboard, or a field named with more words around it (customVars, hostCustomVars for vars).
        var meant = NearestName.Of(name, NotificationParser.FieldNames)
            ?? NotificationParser.FieldNames.Where(f => f.Length >= 4 && name.EndsWith(f, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(f => f.Length).FirstOrDefault();
        var hint = meant is null ? "" : $" (did you mean {meant}?)";
        return $"'{shown}' is not a field of a notification, so it was ignored{hint}";
    }
}
