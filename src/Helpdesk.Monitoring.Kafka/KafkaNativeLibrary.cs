using System.Globalization;
using Confluent.Kafka;

namespace Helpdesk.Monitoring.Kafka;

/// <summary>
/// Which librdkafka the Kafka client loaded. The client ships librdkafka 2.16 (librdkafka.redist) in several builds;
/// when its own cannot load it tries the others it ships (a centos8 build that needs nothing but glibc, 2.16 too), then
/// silently the operating system's librdkafka, which would run the delivery guarantees on an older library nobody
/// tested; so the service and the relay check at start and refuse any other version.
/// </summary>
public static class KafkaNativeLibrary
{
    /// <summary>The oldest librdkafka accepted: the one the client is built and tested with.</summary>
    public static readonly Version Required = new(2, 16);

    /// <summary>The loaded librdkafka's version text, or null with the reason when none loads.</summary>
    public static (string? Version, string? Problem) Check()
    {
        string text;
        try
        {
            text = Library.VersionString;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or InvalidOperationException or TypeInitializationException)
        {
            return (null, $"the Kafka client's native library (librdkafka) cannot be loaded: {ex.Message}. {Hint}");
        }

        var parts = text.Split('.', '-');
        var loaded = parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? new Version(major, minor)
            : new Version(0, 0);
        return loaded >= Required
            ? (text, null)
            : (text, $"the Kafka client loaded librdkafka {text}, the operating system's, not the {Required} it ships with. {Hint}");
    }

    private const string Hint =
        "The bundled librdkafka needs libsasl2.so.3: put a folder holding a libsasl2.so.3 link to Debian's "
        + "/usr/lib/<arch>/libsasl2.so.2 on LD_LIBRARY_PATH (./build.sh and ./build.sh install set this up; the systemd "
        + "units and the container image carry it).";
}
