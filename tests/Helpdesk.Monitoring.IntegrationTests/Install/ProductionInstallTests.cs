using System.Diagnostics;
using System.Globalization;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;

namespace Helpdesk.Monitoring.IntegrationTests.Install;

/// <summary>
/// The production install (what <c>./build.sh install</c> runs after publishing) into a folder of its own, with real
/// users: the layout and modes, the systemd units checked by systemd-analyze, the installed service started as its
/// user, and a real Nagios running as Nagios' user whose contact uses the installed <c>helpdesk notify</c>. systemd
/// itself does not run here (it is not PID 1), so the units are verified rather than started.
/// </summary>
public sealed class ProductionInstallTests : IDisposable
{
    private const string ServiceUser = "hdinst-service";
    private const string Group = "hdinst-spool";
    private const string NagiosUser = "nagios";
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        // Nagios ran as its own user and owns its folder now; root removes it all the same.
        _dir.Dispose();
    }

    private string Root => _dir.Combine("root");

    [RootFact]
    public async Task Installs_a_service_that_takes_notifications_from_a_real_nagios_each_as_its_own_user_and_uninstalls_keeping_data()
    {
        var port = ServiceProcess.FreePort();
        var nagiosDir = _dir.Combine("nagios");
        Directory.CreateDirectory(nagiosDir);
        var (exit, output) = await Installer("install", Path.Combine(Programs.Root, "artifacts", "install"),
            ("HELPDESK_LISTEN", $"http://127.0.0.1:{port}"), ("HELPDESK_OBJECTS_CACHE", Path.Combine(nagiosDir, "objects.cache")),
            ("HELPDESK_STATUS_FILE", Path.Combine(nagiosDir, "status.dat")));
        Assert.True(exit == 0, output);

        AssertLayout();
        // The rules sample the installer leaves beside the configuration passes the installed rules check.
        var (checkedRules, rulesSummary, rulesError) = await ExternalCommand.RunAsync(Path.Combine(Root, "usr/local/bin/helpdesk"),
            ["rules", "check", Path.Combine(Root, "etc/helpdesk/rules.sample.json")]);
        Assert.True(checkedRules == 0, rulesError);
        Assert.Contains("rules.sample.json: OK (", rulesSummary, StringComparison.Ordinal);
        await VerifyUnitAsync("helpdesk.service");
        await VerifyUnitAsync("helpdesk-relay.service");

        // The installed service, started as systemd would: its user, the unit's umask, the keys file's environment.
        var keys = Keys();
        var start = SystemUsers.AsUser(ServiceUser, "007", Path.Combine(Root, "opt/helpdesk/service/helpdesk-service"));
        start.WorkingDirectory = Path.Combine(Root, "var/lib/helpdesk");
        start.Environment["HELPDESK_CONFIG"] = Path.Combine(Root, "etc/helpdesk/helpdesk.json");

        // The rules as install.md says: the sample copied by root (umask 022) and named in the configuration.
        var rules = Path.Combine(Root, "etc/helpdesk/rules.json");
        File.Copy(Path.Combine(Root, "etc/helpdesk/rules.sample.json"), rules, overwrite: true);
        start.Environment["Helpdesk__RulesPath"] = rules;
        foreach (var (name, value) in keys)
        {
            start.Environment[name] = value;
        }

        await using var service = await ServiceProcess.StartProgramAsync(start, port);

        // A real Nagios as Nagios' user, including the installed command definitions (notify-helpdesk, contact group).
        await using var nagios = await NagiosProcess.StartAsUserAsync(nagiosDir, NagiosUser, Path.Combine(Root, "etc/helpdesk/nagios/helpdesk.cfg"), Host);
        await nagios.HostResultAsync("db-inst01", 1, "PING CRITICAL - Packet loss = 100%");
        var page = await service.WaitForAsync("/api/v1/incidents?host=db-inst01", p => p.GetProperty("total").GetInt64() == 1, TimeSpan.FromSeconds(60));
        Assert.Equal("nagios-installed", page.GetProperty("items")[0].GetProperty("instance").GetString());
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Root, "var/spool/helpdesk/rejected")));

        // Root adds the first person with the installed command; the file keeps the service's group, and the running
        // service (its own user) accepts the new token within seconds.
        var usersFile = Path.Combine(Root, "etc/helpdesk/users.json");
        var (added, token, addError) = await ExternalCommand.RunAsync(Path.Combine(Root, "usr/local/bin/helpdesk"), ["users", "add", "olga", "--role", "admin", "--users-file", usersFile]);
        Assert.True(added == 0, addError);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, Mode("etc/helpdesk/users.json"));
        Assert.Equal(("root", Group), Owner("etc/helpdesk/users.json"));
        var signedIn = false;
        for (var attempt = 0; attempt < 50 && !signedIn; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/session");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Trim());
            using var response = await service.Http.SendAsync(request);
            signedIn = response.IsSuccessStatusCode;
            await Task.Delay(signedIn ? 0 : 200);
        }

        Assert.True(signedIn, "the installed service never accepted the token of the user root added");

        // The installed check plugin, as Nagios would run it.
        var (code, line) = await RunAsync(new ProcessStartInfo(Path.Combine(Root, "usr/lib/nagios/plugins/check_helpdesk"), ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]));
        Assert.True(code == 0, line);
        Assert.StartsWith("HELPDESK OK - ready", line, StringComparison.Ordinal);

        // Root changes the rules and reloads them (what ExecReload sends): the service, its own user, reads them again.
        await File.WriteAllTextAsync(rules, (await File.ReadAllTextAsync(rules)).Replace("\"defaultTeam\": \"helpdesk\"", "\"defaultTeam\": \"servicedesk\"", StringComparison.Ordinal));
        await service.HangUpAsync();
        await service.EventuallyAsync(() => Task.FromResult(service.Output.Contains($"Rules reloaded from {rules} (", StringComparison.Ordinal)), TimeSpan.FromSeconds(30),
            "the installed service's log saying it reloaded its rules");
        Assert.Equal(1, await service.MetricAsync("helpdesk_rules_reload_successful"));

        // Root backs up the running service's store with the installed command, which finds it from the installed configuration.
        var backup = Path.Combine(Root, "backup-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        var (backedUp, summary, backupError) = await ExternalCommand.RunAsync(Path.Combine(Root, "usr/local/bin/helpdesk"), ["store", "backup", backup],
            new Dictionary<string, string?> { ["HELPDESK_CONFIG"] = Path.Combine(Root, "etc/helpdesk/helpdesk.json") });
        Assert.True(backedUp == 0, backupError);
        Assert.Contains("1 incident (1 open, highest INC-000001)", summary, StringComparison.Ordinal);

        // Installing again upgrades the programs and keeps the keys; uninstalling keeps configuration and data.
        (exit, output) = await Installer("install", Path.Combine(Programs.Root, "artifacts", "install"), ("HELPDESK_LISTEN", $"http://127.0.0.1:{port}"));
        Assert.True(exit == 0, output);
        Assert.Equal(keys, Keys());
        (exit, output) = await Installer("uninstall", null);
        Assert.True(exit == 0, output);
        Assert.False(Directory.Exists(Path.Combine(Root, "opt/helpdesk")));
        Assert.False(File.Exists(Path.Combine(Root, "usr/local/bin/helpdesk")));
        Assert.False(File.Exists(Path.Combine(Root, "etc/systemd/system/helpdesk.service")));
        Assert.True(File.Exists(Path.Combine(Root, "var/lib/helpdesk/helpdesk.db")));
        Assert.Equal(keys, Keys());
    }

    private void AssertLayout()
    {
        const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode("etc/helpdesk/keys.env"));
        Assert.Equal(("root", "root"), Owner("etc/helpdesk/keys.env"));
        Assert.Equal(Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, Mode("var/lib/helpdesk"));
        Assert.Equal((ServiceUser, Group), Owner("var/lib/helpdesk"));
        foreach (var spool in new[] { "var/spool/helpdesk", "var/spool/helpdesk/incoming", "var/spool/helpdesk/tmp" })
        {
            Assert.Equal(Rwx | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.SetGroup, Mode(spool));
            Assert.Equal((ServiceUser, Group), Owner(spool));
        }

        Assert.Contains($"\"ObjectsCachePath\": \"{_dir.Combine("nagios")}/objects.cache\"", File.ReadAllText(Path.Combine(Root, "etc/helpdesk/helpdesk.json")), StringComparison.Ordinal);
        Assert.Contains($"\"StatusFiles\": {{ \"nagios-installed\": \"{_dir.Combine("nagios")}/status.dat\" }}", File.ReadAllText(Path.Combine(Root, "etc/helpdesk/helpdesk.json")), StringComparison.Ordinal);
        Assert.Contains($"{Root}/usr/local/bin/helpdesk notify --instance nagios-installed --spool {Root}/var/spool/helpdesk",
            File.ReadAllText(Path.Combine(Root, "etc/helpdesk/nagios/helpdesk.cfg")), StringComparison.Ordinal);
        Assert.Contains(Group, Groups(NagiosUser));

        // The Kafka client's bundled librdkafka finds Debian's SASL library under the name it was linked with.
        Assert.EndsWith("libsasl2.so.2", new FileInfo(Path.Combine(Root, "opt/helpdesk/native/libsasl2.so.3")).LinkTarget, StringComparison.Ordinal);
    }

    private async Task VerifyUnitAsync(string unit)
    {
        var (code, output) = await RunAsync(new ProcessStartInfo("systemd-analyze", ["verify", Path.Combine(Root, "etc/systemd/system", unit)]));
        Assert.True(code == 0 && output.Trim().Length == 0, $"systemd-analyze verify {unit}: {code}\n{output}");
        var text = File.ReadAllText(Path.Combine(Root, "etc/systemd/system", unit));
        foreach (var hardening in new[] { $"User={ServiceUser}", "NoNewPrivileges=yes", "ProtectSystem=strict", $"ReadWritePaths={Root}/var", $"LD_LIBRARY_PATH={Root}/opt/helpdesk/native", "RestartPreventExitStatus=2" })
        {
            Assert.Contains(hardening, text, StringComparison.Ordinal);
        }
    }

    private Dictionary<string, string> Keys()
    {
        var keys = File.ReadAllLines(Path.Combine(Root, "etc/helpdesk/keys.env"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["HELPDESK_AGENT_KEY", "HELPDESK_INGEST_KEY"], keys.Keys.Order());
        Assert.All(keys.Values, k => Assert.True(k.Length >= 40, k));
        Assert.NotEqual(keys["HELPDESK_AGENT_KEY"], keys["HELPDESK_INGEST_KEY"]);
        return keys;
    }

    private UnixFileMode Mode(string relative) => File.GetUnixFileMode(Path.Combine(Root, relative));

    private (string, string) Owner(string relative)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%U %G", Path.Combine(Root, relative)]) { RedirectStandardOutput = true })!;
        var parts = stat.StandardOutput.ReadToEnd().Trim().Split(' ');
        stat.WaitForExit();
        return (parts[0], parts[1]);
    }

    private static string Groups(string user)
    {
        using var id = Process.Start(new ProcessStartInfo("id", ["-Gn", user]) { RedirectStandardOutput = true })!;
        var groups = id.StandardOutput.ReadToEnd();
        id.WaitForExit();
        return groups;
    }

    private Task<(int, string)> Installer(string verb, string? published, params (string Name, string Value)[] settings)
    {
        var script = Path.Combine(Programs.Root, "src/Helpdesk.Monitoring.Service/deploy/install.sh");
        var start = new ProcessStartInfo(script) { ArgumentList = { verb } };
        if (published is not null)
        {
            start.ArgumentList.Add(published);
        }

        start.Environment["HELPDESK_PREFIX"] = Root;
        start.Environment["HELPDESK_USER"] = ServiceUser;
        start.Environment["HELPDESK_GROUP"] = Group;
        start.Environment["HELPDESK_NAGIOS_USER"] = NagiosUser;
        start.Environment["HELPDESK_INSTANCE"] = "nagios-installed";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return RunAsync(start);
    }

    private static async Task<(int, string)> RunAsync(ProcessStartInfo start)
    {
        var (exit, stdout, stderr) = await ExternalCommand.RunAsync(start, TimeSpan.FromMinutes(10));
        return (exit, stdout + stderr);
    }

    private const string Host = """
        define host {
            host_name               db-inst01
            alias                   Database 01
            address                 127.0.0.1
            check_command           check-dummy
            active_checks_enabled   0
            passive_checks_enabled  1
            max_check_attempts      1
            check_period            24x7
            notification_interval   0
            notification_period     24x7
            notification_options    d,u,r,f,s
            first_notification_delay 0
            contact_groups          helpdesk
        }

        define service {
            host_name               db-inst01
            service_description     MySQL
            check_command           check-dummy
            active_checks_enabled   0
            passive_checks_enabled  1
            max_check_attempts      1
            check_interval          1
            retry_interval          1
            check_period            24x7
            notification_interval   0
            notification_period     24x7
            notification_options    w,u,c,r,f,s
            first_notification_delay 0
            contact_groups          helpdesk
        }

        """;
}
