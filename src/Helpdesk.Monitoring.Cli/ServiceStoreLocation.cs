using System.Text.Json;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// Where the service keeps its SQLite store, read the way the service reads it: the configuration file
/// ($HELPDESK_CONFIG, else /etc/helpdesk/helpdesk.json when it exists), then the environment
/// (<c>Helpdesk__DataDirectory</c>, <c>HELPDESK_Helpdesk__DataDirectory</c> and the same for
/// <c>Helpdesk__Store__Sqlite__Path</c>), relative paths from the current directory.
/// </summary>
internal static class ServiceStoreLocation
{
    public const string InstalledConfiguration = "/etc/helpdesk/helpdesk.json";

    /// <summary>The database path, or an error sentence.</summary>
    public static (string? Path, string? Error) Find(string? configFile)
    {
        configFile ??= Environment.GetEnvironmentVariable("HELPDESK_CONFIG") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : File.Exists(InstalledConfiguration) ? InstalledConfiguration : null;
        var (dataDirectory, sqlitePath, provider) = ("var", "", "");
        if (configFile is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(configFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                dataDirectory = Setting(document.RootElement, ["Helpdesk", "DataDirectory"]) ?? dataDirectory;
                sqlitePath = Setting(document.RootElement, ["Helpdesk", "Store", "Sqlite", "Path"]) ?? sqlitePath;
                provider = Setting(document.RootElement, ["Helpdesk", "Store", "Provider"]) ?? provider;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                return (null, $"Cannot read the service's configuration {configFile}: {ex.Message}");
            }
        }

        dataDirectory = FromEnvironment("DataDirectory") ?? dataDirectory;
        sqlitePath = FromEnvironment("Store__Sqlite__Path") ?? sqlitePath;
        provider = FromEnvironment("Store__Provider") ?? provider;
        if (string.Equals(provider, "sqlserver", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "The service stores incidents in SQL Server: back it up with SQL Server's own BACKUP DATABASE and RESTORE DATABASE (docs/operations.md).");
        }

        return (Path.GetFullPath(sqlitePath.Length > 0 ? sqlitePath : Path.Combine(dataDirectory, "helpdesk.db")), null);
    }

    private static string? FromEnvironment(string key) =>
        Environment.GetEnvironmentVariable("HELPDESK_Helpdesk__" + key) is { Length: > 0 } prefixed ? prefixed
        : Environment.GetEnvironmentVariable("Helpdesk__" + key) is { Length: > 0 } plain ? plain
        : null;

    private static string? Setting(JsonElement root, string[] path)
    {
        var at = root;
        foreach (var name in path)
        {
            // Configuration keys are case-insensitive, as in the service.
            var found = false;
            if (at.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in at.EnumerateObject())
                {
                    if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        (at, found) = (property.Value, true);
                        break;
                    }
                }
            }

            if (!found)
            {
                return null;
            }
        }

        return at.ValueKind == JsonValueKind.String ? at.GetString() : null;
    }
}
