using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Topology;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// The files the service and the CLI read their policy from: the rules file and Nagios' objects.cache. The core parses
/// text; opening files is this adapter's.
/// </summary>
public static class LocalFiles
{
    /// <summary>The rules file, or the sentence that says why it cannot be read or is wrong.</summary>
    public static (HelpdeskRules? Rules, IReadOnlyList<string> Errors) ReadRules(string path)
    {
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
        using var reader = new StreamReader(path);
        return ObjectsCacheReader.Read(reader);
    }
}
