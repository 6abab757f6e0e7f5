using Helpdesk.Monitoring.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Helpdesk.Monitoring.Hosting.Configuration;

/// <summary>
/// The installed configuration file (<c>HELPDESK_CONFIG</c>, /etc/helpdesk/helpdesk.json in a production install).
/// It sits above appsettings.json and below the environment and the command line, so a unit's Environment= or a
/// one-off --Helpdesk:... still wins over it.
/// </summary>
public static class ConfigurationFile
{
    public const string Variable = "HELPDESK_CONFIG";

    // Settings, not data: a file of this size is a mistake (or a device), and it is read whole.
    private const long MaxBytes = 1024 * 1024;

    /// <summary>Adds the file HELPDESK_CONFIG names, if any; says why not when it cannot be read.</summary>
    public static (string? Path, string? Error) AddFromEnvironment(IConfigurationBuilder configuration)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path)
        {
            return (null, null);
        }

        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return (full, $"{Variable} names {full}, which does not exist or cannot be read by this user");
        }

        if (LocalFiles.RefusalToRead(full, MaxBytes) is { } refusal)
        {
            return (full, $"{Variable} names a file that cannot be used: {refusal}");
        }

        var source = new JsonConfigurationSource { Path = full, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();

        // Right after appsettings.json (the last JSON file the host added): appsettings.json < this file < environment <
        // command line. The host's own ASPNETCORE_/DOTNET_ environment sources come before appsettings.json.
        var index = configuration.Sources.ToList().FindLastIndex(s => s is JsonConfigurationSource) + 1;
        try
        {
            configuration.Sources.Insert(index == 0 ? configuration.Sources.Count : index, source);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            configuration.Sources.Remove(source);
            return (full, $"{Variable} names {full}, which cannot be used: {(ex.InnerException ?? ex).Message}");
        }

        return (full, null);
    }
}
