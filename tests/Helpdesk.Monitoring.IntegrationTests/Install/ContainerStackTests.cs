using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Install;

/// <summary>
/// The container stack, checked without a Docker engine (none runs here): Debian's docker-compose validates and
/// resolves the compose file, promtool checks Prometheus' configuration, the image's publish step runs as the
/// Dockerfile runs it and what it publishes starts on this Debian 12 machine, and the scale-out's TLS and start-up
/// refusals run as they would in their containers.
/// </summary>
public sealed class ContainerStackTests : IDisposable
{
    private static readonly string Deploy = Path.Combine(Programs.Root, "src", "Helpdesk.Monitoring.Service", "deploy");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string?> Secrets() => new()
    {
        ["HELPDESK_INGEST_KEY"] = "ingest-secret",
        ["HELPDESK_AGENT_KEY"] = "agent-secret",
        ["MSSQL_SA_PASSWORD"] = "Sa-Passw0rd!",
        ["HELPDESK_DB_PASSWORD"] = "Db-Passw0rd!",
    };

    [Theory]
    [InlineData("embedded", new[] { "helpdesk", "prometheus" })]
    [InlineData("scale-out", new[] { "kafka", "redis", "tls", "sqlserver", "sqlserver-init", "relay", "helpdesk-a", "helpdesk-b", "prometheus" })]
    public async Task Each_profile_resolves_with_a_health_check_on_every_service_and_conditions_on_every_dependency(string profile, string[] expected)
    {
        var services = await ServicesAsync(profile, Secrets());
        Assert.Equal(expected.Order(), services.Keys.Order());
        foreach (var service in services.Select(s => (Name: s.Key, Value: s.Value)))
        {
            Assert.True(service.Value.TryGetProperty("healthcheck", out var health) && health.TryGetProperty("test", out _), $"{service.Name} has no health check");
            if (service.Value.TryGetProperty("depends_on", out var dependsOn))
            {
                foreach (var dependency in dependsOn.EnumerateObject())
                {
                    var condition = dependency.Value.GetProperty("condition").GetString();
                    Assert.True(condition is "service_healthy" or "service_completed_successfully", $"{service.Name} → {dependency.Name}: {condition}");
                }
            }
        }

        if (profile == "scale-out")
        {
            // The instances wait for every server to be healthy and for the database and TLS set-up to finish.
            var instance = services["helpdesk-a"].GetProperty("depends_on");
            Assert.Equal(["kafka", "redis", "sqlserver", "sqlserver-init"], instance.EnumerateObject().Select(d => d.Name).Order());
            Assert.Equal("service_completed_successfully", services["sqlserver"].GetProperty("depends_on").GetProperty("tls").GetProperty("condition").GetString());
            Assert.Equal("no", services["tls"].GetProperty("restart").GetString());
            Assert.Contains("Encrypt=True;TrustServerCertificate=False",
                services["helpdesk-b"].GetProperty("environment").GetProperty("Helpdesk__Store__SqlServer__ConnectionString").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("HELPDESK_INGEST_KEY")]
    [InlineData("HELPDESK_AGENT_KEY")]
    public async Task Compose_refuses_without_a_key_and_names_it(string missing)
    {
        var environment = Secrets();
        environment[missing] = null;
        var (exit, _, stderr) = await ComposeAsync(["--profile", "embedded", "config"], environment);
        Assert.NotEqual(0, exit);
        Assert.Contains($"set {missing} to a random secret", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlserver", "MSSQL_SA_PASSWORD")]
    [InlineData("sqlserver-init", "HELPDESK_DB_PASSWORD")]
    public async Task A_scale_out_container_without_its_password_stops_and_names_the_variable(string service, string variable)
    {
        var environment = Secrets();
        environment[variable] = null;
        var entrypoint = (await ServicesAsync("scale-out", environment))[service].GetProperty("entrypoint").EnumerateArray()
            .Select(e => e.GetString()!.Replace("$$", "$", StringComparison.Ordinal)).ToList();

        // The container's own command, run as the container runs it (sh -c; Compose turns $$ into $), with the variable
        // empty as Compose passes it.
        var (exit, _, stderr) = await ExternalCommand.RunAsync(entrypoint[0], entrypoint.Skip(1), new Dictionary<string, string?> { [variable] = "" });
        Assert.Equal(64, exit);
        Assert.Contains($"set {variable}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_configuration_passes_promtool_and_scrapes_every_instance()
    {
        var config = Path.Combine(Deploy, "prometheus.yml");
        var (exit, stdout, stderr) = await ExternalCommand.RunAsync("promtool", ["check", "config", config]);
        Assert.True(exit == 0, stdout + stderr);

        var services = (await ServicesAsync("scale-out", Secrets())).Concat(await ServicesAsync("embedded", Secrets()));
        var instances = services
            .Where(s => s.Value.TryGetProperty("ports", out var ports) && ports.EnumerateArray().Any(p => Publishes8080(p)))
            .Select(s => s.Key).ToList();
        Assert.Equal(3, instances.Count);
        var text = await File.ReadAllTextAsync(config);
        Assert.All(instances, name => Assert.Contains($"\"{name}:8080\"", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_alert_rules_pass_promtool_and_fire_on_a_broken_pipeline_or_channel_only()
    {
        var (exit, stdout, stderr) = await ExternalCommand.RunAsync("promtool", ["check", "rules", Path.Combine(Deploy, "alerts.yml")]);
        Assert.True(exit == 0, stdout + stderr);

        // The unit tests beside the rules feed Prometheus the series of a channel whose receiver went down, and of a
        // busy one, and say when each alert must (and must not) fire.
        (exit, stdout, stderr) = await ExternalCommand.RunAsync("promtool", ["test", "rules", Path.Combine(Deploy, "alerts.test.yml")]);
        Assert.True(exit == 0, stdout + stderr);

        // The stack mounts them where prometheus.yml loads them from.
        var prometheus = (await ServicesAsync("embedded", Secrets()))["prometheus"];
        Assert.Contains(prometheus.GetProperty("volumes").EnumerateArray(), v =>
            (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetProperty("target").GetString()!).Contains("/etc/prometheus/alerts.yml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_tls_job_makes_a_certificate_for_sqlserver_that_its_ca_verifies_and_keeps_it_on_a_second_run()
    {
        var tls = _dir.Combine("tls");
        // As root (CI) the key goes to SQL Server's uid as in the container; otherwise to whoever runs the test.
        var owner = Environment.UserName == "root" ? "10001" : (await ExternalCommand.RunAsync("id", ["-u"])).Stdout.Trim();
        var (exit, _, stderr) = await ExternalCommand.RunAsync(Path.Combine(Deploy, "mssql", "make-tls.sh"), [tls, owner]);
        Assert.True(exit == 0, stderr);

        var (verified, verifyOut, _) = await ExternalCommand.RunAsync("openssl", ["verify", "-CAfile", Path.Combine(tls, "ca.crt"), Path.Combine(tls, "tls.crt")]);
        Assert.True(verified == 0, verifyOut);
        var (_, text, _) = await ExternalCommand.RunAsync("openssl", ["x509", "-in", Path.Combine(tls, "tls.crt"), "-noout", "-ext", "subjectAltName"]);
        Assert.Contains("DNS:sqlserver", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, "tls.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, "ca.key")));
        var ca = await File.ReadAllTextAsync(Path.Combine(tls, "ca.crt"));
        Assert.EndsWith(ca, await File.ReadAllTextAsync(Path.Combine(tls, "trust.pem")), StringComparison.Ordinal);

        var certificate = await File.ReadAllBytesAsync(Path.Combine(tls, "tls.crt"));
        Assert.Equal(0, (await ExternalCommand.RunAsync(Path.Combine(Deploy, "mssql", "make-tls.sh"), [tls, owner])).ExitCode);
        Assert.Equal(certificate, await File.ReadAllBytesAsync(Path.Combine(tls, "tls.crt")));
    }

    [Fact]
    public async Task The_images_publish_step_runs_as_the_dockerfile_runs_it_and_its_service_starts_on_debian_12()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Programs.Root, "src", "Helpdesk.Monitoring.Service", "Dockerfile"));
        Assert.Contains("\nRUN src/Helpdesk.Monitoring.Service/deploy/publish-image.sh /app\n", dockerfile, StringComparison.Ordinal);
        Assert.Contains("\nFROM debian:12-slim\n", dockerfile, StringComparison.Ordinal);
        var ignored = await File.ReadAllLinesAsync(Path.Combine(Programs.Root, ".dockerignore"));
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("/var/", ignored);
        Assert.Contains("/artifacts/", ignored);

        var app = _dir.Combine("app");
        var (exit, stdout, stderr) = await ExternalCommand.RunAsync(Path.Combine(Deploy, "publish-image.sh"), [app], timeout: TimeSpan.FromMinutes(10));
        Assert.True(exit == 0, stdout + stderr);

        // Self-contained, as the runtime image has no .NET: the programs run by themselves, with the image's library path.
        var native = Path.Combine(Programs.Root, "artifacts", "native");
        var data = _dir.Combine("data");
        Directory.CreateDirectory(data);
        var port = ServiceProcess.FreePort();
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(app, "service", "helpdesk-service")) { ArgumentList = { "--urls", $"http://127.0.0.1:{port}" } };
        start.Environment["LD_LIBRARY_PATH"] = native;
        start.Environment["DOTNET_ROOT"] = "/nonexistent";
        start.Environment["HELPDESK_INGEST_KEY"] = ServiceProcess.IngestKey;
        start.Environment["Helpdesk__DataDirectory"] = data;
        await using var service = await ServiceProcess.StartProgramAsync(start, port);

        var check = await ExternalCommand.RunAsync(Path.Combine(app, "cli", "helpdesk"), ["check", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string?> { ["DOTNET_ROOT"] = "/nonexistent" });
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.StartsWith("HELPDESK OK", check.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A port entry in either of the forms docker-compose prints ("127.0.0.1:8081:8080/tcp" or an object).</summary>
    private static bool Publishes8080(JsonElement port) => port.ValueKind == JsonValueKind.String
        ? port.GetString()!.Split('/')[0].EndsWith(":8080", StringComparison.Ordinal)
        : port.GetProperty("target").GetInt32() == 8080;

    /// <summary>The services a profile starts (those of the profile and those without one), as Compose resolves them.</summary>
    private static async Task<Dictionary<string, JsonElement>> ServicesAsync(string profile, Dictionary<string, string?> environment) =>
        (await ResolvedAsync(profile, environment)).GetProperty("services").EnumerateObject()
            .Where(s => !s.Value.TryGetProperty("profiles", out var profiles) || profiles.EnumerateArray().Any(p => p.GetString() == profile))
            .ToDictionary(s => s.Name, s => s.Value);

    private static async Task<JsonElement> ResolvedAsync(string profile, Dictionary<string, string?> environment)
    {
        var (exit, stdout, stderr) = await ComposeAsync(["--profile", profile, "config"], environment);
        Assert.True(exit == 0, stderr);

        // docker-compose prints YAML; Python's YAML reader (a docker-compose dependency) turns it into JSON.
        var yaml = Path.Combine(Path.GetTempPath(), "helpdesk-compose-" + Guid.NewGuid().ToString("N") + ".yml");
        await File.WriteAllTextAsync(yaml, stdout);
        try
        {
            var (converted, json, error) = await ExternalCommand.RunAsync("python3",
                ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", yaml]);
            Assert.True(converted == 0, error);
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        finally
        {
            File.Delete(yaml);
        }
    }

    private static async Task<(int, string, string)> ComposeAsync(string[] arguments, Dictionary<string, string?> environment)
    {
        try
        {
            return await ExternalCommand.RunAsync("docker-compose", ["-f", Path.Combine(Programs.Root, "docker-compose.yml"), .. arguments], environment);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("docker-compose is not installed: the test command installs Debian's docker-compose package", ex);
        }
    }
}
