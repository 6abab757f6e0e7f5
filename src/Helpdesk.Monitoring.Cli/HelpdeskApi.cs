using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Helpdesk.Monitoring.Cli;

/// <summary>
/// The service's API as <c>helpdesk incidents</c> and <c>helpdesk deliveries</c> call it. Every failure becomes one
/// sentence and an exit code: 1 the service refused (a bad number, not signed in, not allowed, not found, not in that
/// state), 3 it could not be reached or failed. An action carries an Idempotency-Key, so a timed-out call can be
/// repeated safely.
/// </summary>
internal sealed class HelpdeskApi(CliSettings settings) : IDisposable
{
    public const int Refused = 1;
    public const int Unreachable = 3;
    private readonly HttpClient _http = new() { BaseAddress = new Uri(settings.Url + "/"), Timeout = TimeSpan.FromSeconds(40) };

    public async Task<(JsonElement Body, int Exit, string Error)> GetAsync(string path) => await SendAsync(HttpMethod.Get, path, null);

    public async Task<(JsonElement Body, int Exit, string Error)> PostAsync(string path, byte[] body) => await SendAsync(HttpMethod.Post, path, body);

    private async Task<(JsonElement, int, string)> SendAsync(HttpMethod method, string path, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (settings.Token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            request.Headers.Add("Idempotency-Key", Guid.CreateVersion7().ToString());
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (default, Unreachable, $"cannot reach the helpdesk service at {settings.Url}: {ex.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            JsonElement json = default;
            try
            {
                json = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's error page): the status says enough.
            }

            if (response.IsSuccessStatusCode)
            {
                return (json, 0, "");
            }

            var detail = Problem(json) ?? $"the service answered {(int)response.StatusCode} {response.ReasonPhrase}";
            var hint = response.StatusCode == HttpStatusCode.Unauthorized && settings.Token.Length == 0
                ? " (set HELPDESK_TOKEN, or --token, to your API token)"
                : "";
            return (json, (int)response.StatusCode >= 500 ? Unreachable : Refused, detail + hint);
        }
    }

    /// <summary>A problem document's detail, or the first validation error.</summary>
    private static string? Problem(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                return $"{field.Name}: {string.Join("; ", field.Value.EnumerateArray().Select(e => e.GetString()))}";
            }
        }

        return json.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null;
    }

    /// <summary>A JSON object body from name/value pairs: strings, booleans, integers and lists of strings (values null are left out).</summary>
    public static byte[] Body(params (string Name, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null:
                        break;
                    case bool b:
                        w.WriteBoolean(name, b);
                        break;
                    case int n:
                        w.WriteNumber(name, n);
                        break;
                    case string[] list:
                        w.WriteStartArray(name);
                        foreach (var item in list)
                        {
                            w.WriteStringValue(item);
                        }

                        w.WriteEndArray();
                        break;
                    default:
                        w.WriteString(name, value.ToString());
                        break;
                }
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public void Dispose() => _http.Dispose();

    public static string Encode(string text) => Uri.EscapeDataString(text);

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
