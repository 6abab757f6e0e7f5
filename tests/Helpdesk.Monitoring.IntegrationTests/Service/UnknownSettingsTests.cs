using System.Text.Json;
using System.Text.RegularExpressions;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>Keys under Helpdesk that no option takes are told at start, with the setting that was probably meant.</summary>
public sealed partial class UnknownSettingsTests
{
    private static IReadOnlyList<string> Unknown(params (string Key, string Value)[] settings) =>
        UnknownSettings.In(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build()
                .GetSection(HelpdeskOptions.Section),
            typeof(HelpdeskOptions));

    [Fact]
    public void A_misspelt_key_is_named_with_the_setting_nearest_to_it()
    {
        var found = Unknown(("Helpdesk:Incidents:VerificatonHold", "00:01:00"), ("Helpdesk:Outbound:Webhooks:ops:Secrett", "x"),
            ("helpdesk:rulesfile", "/etc/helpdesk/rules.json"));

        Assert.Equal(
        [
            "Helpdesk:Incidents:VerificatonHold is not a setting the service knows, so it would be ignored (did you mean Helpdesk:Incidents:VerificationHold?)",
            "Helpdesk:Outbound:Webhooks:ops:Secrett is not a setting the service knows, so it would be ignored (did you mean Helpdesk:Outbound:Webhooks:ops:Secret?)",
            "Helpdesk:rulesfile is not a setting the service knows, so it would be ignored (did you mean Helpdesk:RulesPath?)",
        ], found);
    }

    [Fact]
    public void A_key_near_no_setting_is_told_with_what_its_section_takes()
    {
        var found = Assert.Single(Unknown(("Helpdesk:Pipeline:Turbo", "true")));

        Assert.StartsWith("Helpdesk:Pipeline:Turbo is not a setting the service knows, so it would be ignored (Helpdesk:Pipeline takes ", found, StringComparison.Ordinal);
        Assert.Contains("BatchSize", found, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_of_channels_instances_and_client_properties_are_the_user_s_and_a_value_has_nothing_below_it()
    {
        Assert.Empty(Unknown(
            ("Helpdesk:Outbound:Webhooks:any-name:Url", "http://127.0.0.1:9/"),
            ("Helpdesk:Outbound:Email:oncall:To:0", "oncall@example.com"),
            ("Helpdesk:Outbound:Email:oncall:Smtp:Host", "127.0.0.1"),
            ("Helpdesk:Nagios:CommandFiles:nagios-a", "/var/lib/nagios4/rw/nagios.cmd"),
            ("Helpdesk:Kafka:Properties:security.protocol", "SASL_SSL"),
            ("Helpdesk:Api:IngestKeys:1", "k"),
            ("helpdesk:api:readsneedsignin", "true")));

        Assert.Equal(
            ["Helpdesk:DataDirectory:Path is not a setting: Helpdesk:DataDirectory is a single value, set it without anything after it"],
            Unknown(("Helpdesk:DataDirectory:Path", "/srv")));
    }

    [Fact]
    public void What_comes_from_the_rules_file_is_not_taken_from_the_configuration()
    {
        var found = Assert.Single(Unknown(("Helpdesk:Incidents:Rules:Sla:Targets", "x")));

        Assert.Equal("Helpdesk:Incidents:Rules is not a setting: priority, routing, correlation, SLA and outbound rules come from the rules file Helpdesk:RulesPath names", found);
    }

    [Fact]
    public void Every_key_the_shipped_settings_the_docs_the_installer_and_the_compose_file_name_is_a_setting()
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(Programs.Root, "src", "Helpdesk.Monitoring.Service", "appsettings.json")).Build();
        Assert.Empty(UnknownSettings.In(shipped.GetSection(HelpdeskOptions.Section), typeof(HelpdeskOptions)));

        string[] places = ["docs", "README.md", "docker-compose.yml", Path.Combine("src", "Helpdesk.Monitoring.Service", "deploy"), "nagios-plugins"];
        var keys = places.Select(p => Path.Combine(Programs.Root, p))
            .SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*", SearchOption.AllDirectories) : [p])
            .SelectMany(file => NamedKey().Matches(File.ReadAllText(file)).Select(m => m.Value))
            .Select(key => key.Replace("__", ":", StringComparison.Ordinal).TrimEnd(':', '.'))
            // The placeholder of the docs' sources, and the misspelling configuration.md shows being refused.
            .Where(key => key is not ("Helpdesk:Section:Key" or "Helpdesk:RulesFile"))
            .Select(key => Placeholder().Replace(key, "name"))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        Assert.True(keys.Count > 50, $"only {keys.Count} keys found: the pattern no longer matches how the docs write them");

        var found = Unknown(keys.Select(k => (k, "1")).ToArray());
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [GeneratedRegex(@"Helpdesk(:|__)[A-Za-z0-9_:.<>-]+")]
    private static partial Regex NamedKey();

    [GeneratedRegex(@"<[^>]*>?")]
    private static partial Regex Placeholder();
}
