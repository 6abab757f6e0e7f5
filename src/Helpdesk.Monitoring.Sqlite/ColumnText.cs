using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Sqlite;

/// <summary>Times and ids as the SQLite store keeps them (enum words: <see cref="IncidentNames"/>, <see cref="TimelineKindNames"/>).</summary>
internal static class ColumnText
{
    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? MsOrNull(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static byte[] Bytes(Guid id) => id.ToByteArray(bigEndian: true);

    public static Guid Guid(byte[] bytes) => new(bytes, bigEndian: true);
}
