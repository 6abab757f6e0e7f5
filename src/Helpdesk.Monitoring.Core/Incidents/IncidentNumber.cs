using System.Globalization;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>The human incident number (INC-000042) and back.</summary>
public static class IncidentNumber
{
    public static string Format(long id) => "INC-" + id.ToString("D6", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out long id)
    {
        id = 0;
        return text is not null && text.StartsWith("INC-", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }
}
