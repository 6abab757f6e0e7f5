using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Notifications;
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
    public static (string? Path, string? Error) AddFromEnvironment(IConfigurationBuilder configuration) =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? Add(configuration, path) : (null, null);

    /// <summary>Adds the file at <paramref name="path"/> as HELPDESK_CONFIG would; says why not when it cannot be read.</summary>
    public static (string? Path, string? Error) Add(IConfigurationBuilder configuration, string path)
    {
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
            return (full, $"{Variable} names {full}, which cannot be used: {Why(ex)}");
        }

        return (full, null);
    }

    private static string Why(Exception ex)
    {
        // The provider wraps the JSON reader's exception twice ("Could not parse the JSON file."): the innermost one
        // says where the file is broken.
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Text.Json.JsonException json)
            {
                return JsonSyntax.Explain(json, "a settings file nests at most 64 levels");
            }
        }

        return (ex.InnerException ?? ex).Message;
    }
}
