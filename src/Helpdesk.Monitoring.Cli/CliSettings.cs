using System.Text.Json;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// Where the service is and who is asking, for <c>helpdesk incidents</c>: --url and --token first, then
/// HELPDESK_URL and HELPDESK_TOKEN, then the config file (~/.config/helpdesk/cli.json: {"url": ..., "token": ...}),
/// which holds a secret and so is read only when nobody but its owner can read it.
/// </summary>
internal sealed record CliSettings(string Url, string Token)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static string ConfigPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "helpdesk", "cli.json");

    /// <summary>The settings, or the sentence that says why they cannot be had.</summary>
    public static (CliSettings? Settings, string Error) Resolve(string? url, string? token)
    {
        var (fileUrl, fileToken, error) = ReadConfig(ConfigPath);
        if (error.Length > 0)
        {
            return (null, error);
        }

        var resolvedUrl = First(url, Environment.GetEnvironmentVariable("HELPDESK_URL"), fileUrl) ?? DefaultUrl;
        if (!Uri.TryCreate(resolvedUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, $"'{resolvedUrl}' is not an http:// or https:// URL");
        }

        return (new CliSettings(resolvedUrl.TrimEnd('/'), First(token, Environment.GetEnvironmentVariable("HELPDESK_TOKEN"), fileToken) ?? ""), "");
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static (string? Url, string? Token, string Error) ReadConfig(string path)
    {
        var mode = UnixStat.ModeOf(path);
        if (mode < 0)
        {
            return (null, null, "");
        }

        if ((mode & 0xF000) != 0x8000)
        {
            return (null, null, $"{path} must be a regular file");
        }

        if ((mode & 0x3F) != 0)
        {
            return (null, null, $"{path} holds your token but others can read it: run 'chmod 600 {path}'");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            return (Text(root, "url"), Text(root, "token"), "");
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return (null, null, $"{path} cannot be read as {{\"url\": \"...\", \"token\": \"...\"}}: {ex.Message}");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
