using Helpdesk.Monitoring.Policy;
using Microsoft.AspNetCore.Http;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// A list's query parameters that the list does not take. ASP.NET Core passes over them, so a misspelt filter
/// (<c>stauts=open</c>, <c>assignee=bob</c>) would answer the whole unfiltered list as if it were the answer asked
/// for; a script or a person then acts on the wrong incidents. Each is refused instead, with the one meant.
/// </summary>
internal static class QueryParameters
{
    /// <summary>Adds an error, named for the parameter, for each one of <paramref name="query"/> not in <paramref name="known"/>.</summary>
    public static void RefuseUnknown(IQueryCollection query, IReadOnlyList<string> known, Dictionary<string, string[]> errors)
    {
        foreach (var key in query.Keys)
        {
            // Query names are matched without regard to case, as the list reads them.
            if (known.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var hint = NearestName.Of(key, known) is { } nearest
                ? $"did you mean {nearest}?"
                : $"it takes {string.Join(", ", known)}";
            errors[key] = [$"'{key}' is not a parameter of this list, so it would be ignored ({hint})"];
        }
    }
}
