using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>The installed configuration file (HELPDESK_CONFIG): read above appsettings.json, or refused with where it is broken.</summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Its_settings_are_read()
    {
        var path = _dir.Combine("helpdesk.json");
        File.WriteAllText(path, """{"Helpdesk": {"Outbound": {"Webhooks": {"ops": {"Url": "http://127.0.0.1:9/hook"}}}}}""");
        using var builder = new ConfigurationManager();

        Assert.Equal((path, null), ConfigurationFile.Add(builder, path));
        Assert.Equal("http://127.0.0.1:9/hook", builder["Helpdesk:Outbound:Webhooks:ops:Url"]);
    }

    [Theory]
    [InlineData("{\"Helpdesk\": {\"RulesPath\": \"/etc/helpdesk/rules.json\"}\n", "not valid JSON at line 2, byte 1: an object or array is not closed")]
    [InlineData("{\"Helpdesk\": {\"Api\": {\"CommitTimeout\": 00:00:05}}}", "not valid JSON at line 1, byte 41: Invalid leading zero before '0'")]
    public void A_broken_file_is_refused_with_where_it_is_broken(string text, string why)
    {
        // The host loads a source when it is added (a ConfigurationManager), so a broken file is found here; the
        // configuration provider's own message was "Could not parse the JSON file.", with no place.
        var path = _dir.Combine("helpdesk.json");
        File.WriteAllText(path, text);

        Assert.Equal((path, $"HELPDESK_CONFIG names {path}, which cannot be used: {why}"), ConfigurationFile.Add(new ConfigurationManager(), path));
    }
}
