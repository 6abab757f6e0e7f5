using System.Globalization;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// Spool file names: zero-padded TIMET first so an ordinal sort is oldest first, then the event id so two
/// notifications in the same second never collide and a rewrite of the same event lands on the same name.
/// </summary>
public static class SpoolFileName
{
    public static string For(long timeT, Guid eventId) =>
        timeT.ToString("D12", CultureInfo.InvariantCulture) + "-" + eventId.ToString("N") + ".json";
}
