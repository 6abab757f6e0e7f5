using System.Globalization;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// The files the service and the CLI read their policy from: the rules file and Nagios' objects.cache. The core parses
/// text; opening files is this adapter's.
/// </summary>
public static class LocalFiles
{
    // A rules file is written by hand: even thousands of customers' contacts and routes stay far below this.
    private const long MaxRulesBytes = 16 * 1024 * 1024;

    /// <summary>The rules file, or the sentence that says why it cannot be read or is wrong.</summary>
    public static (HelpdeskRules? Rules, IReadOnlyList<string> Errors) ReadRules(string path)
    {
        if (RefusalToRead(path, MaxRulesBytes) is { } refusal)
        {
            return (null, [refusal]);
        }

        try
        {
            return RulesFile.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, [$"cannot read {path}: {ex.Message}"]);
        }
    }

    /// <summary>The topology in an objects.cache (IOException and friends are the caller's to report).</summary>
    public static NagiosTopology ReadTopology(string path)
    {
        if (RefusalToRead(path) is { } refusal)
        {
            throw new IOException(refusal);
        }

        using var reader = new StreamReader(path);
        return ObjectsCacheReader.Read(reader);
    }

    /// <summary>
    /// Why a file the service reads but does not own (its rules and configuration files, Nagios' objects.cache and
    /// status.dat) is not to be opened, or null when it is a regular file of at most <paramref name="maxBytes"/> (or
    /// cannot be looked at, which opening it then reports). Links are followed: a configuration file linked from
    /// elsewhere is ordinary. A FIFO, a device or a folder is refused before it is opened, since opening a FIFO waits
    /// for a writer and a device such as /dev/zero never ends.
    /// </summary>
    public static string? RefusalToRead(string path, long maxBytes = long.MaxValue)
    {
        if (!UnixStat.TryOfTarget(path, out var mode, out var size))
        {
            return null;
        }

        if ((mode & 0xF000) != 0x8000)
        {
            return $"{path} is {UnixStat.KindOf(mode)}, not a regular file";
        }

        return size > maxBytes
            ? string.Create(CultureInfo.InvariantCulture, $"{path} is {size / 1048576.0:0.#} MiB, more than the {maxBytes / 1048576} MiB such a file may be")
            : null;
    }
}
