using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// A real Nagios 4 (Debian's nagios4-core) run from a temporary directory, every path inside it (the packaged defaults would be shared with any other Nagios), driven
/// by passive check results through its command FIFO. Its contacts notify through the real <c>helpdesk notify</c>.
/// </summary>
public sealed class NagiosProcess : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/nagios4";
    private readonly Process _process;
    private readonly string _dir;

    private NagiosProcess(Process process, string dir)
    {
        _process = process;
        _dir = dir;
    }

    public static bool Installed => File.Exists(Binary);

    public string Log => File.Exists(Path.Combine(_dir, "nagios.log")) ? File.ReadAllText(Path.Combine(_dir, "nagios.log")) : "";

    /// <param name="objects">Object definitions (hosts, services) to add to the generated commands and contacts.</param>
    /// <param name="contacts">How many contacts receive each notification (Nagios runs the command once per contact).</param>
    public static Task<NagiosProcess> StartAsync(string dir, string spool, string objects, int contacts = 1) =>
        StartAsync(dir, NotifyCommand(spool) + Basics + Contacts(contacts) + objects, includedConfig: null, user: null);

    /// <summary>
    /// A Nagios running as <paramref name="user"/> (a real system user) with an installed configuration file included
    /// (cfg_file), which defines the notification command and the helpdesk contact group the objects use.
    /// </summary>
    public static Task<NagiosProcess> StartAsUserAsync(string dir, string user, string includedConfig, string objects) =>
        StartAsync(dir, Basics + objects, includedConfig, user);

    private static async Task<NagiosProcess> StartAsync(string dir, string objects, string? includedConfig, string? user)
    {
        if (!Installed)
        {
            throw new InvalidOperationException("nagios4 is not installed: the test command installs Debian's nagios4-core");
        }

        Directory.CreateDirectory(Path.Combine(dir, "spool-checkresults"));
        Directory.CreateDirectory(Path.Combine(dir, "archives"));
        await File.WriteAllTextAsync(Path.Combine(dir, "nagios.cfg"), MainConfig(dir, includedConfig, asRoot: user is null && Environment.UserName == "root"));
        await File.WriteAllTextAsync(Path.Combine(dir, "objects.cfg"), objects);
        if (user is not null)
        {
            // Started as another user, Nagios ignores nagios_user and runs as that user, who must own its files.
            using var chown = Process.Start("chown", ["-R", user, dir]);
            await chown.WaitForExitAsync();
        }

        var verify = Process.Start(new ProcessStartInfo(Binary, ["-v", Path.Combine(dir, "nagios.cfg")]) { RedirectStandardOutput = true })!;
        var verification = await verify.StandardOutput.ReadToEndAsync();
        await verify.WaitForExitAsync();
        if (verify.ExitCode != 0)
        {
            throw new InvalidOperationException("nagios4 -v refused the test configuration:\n" + verification);
        }

        var start = user is null
            ? new ProcessStartInfo(Binary, [Path.Combine(dir, "nagios.cfg")]) { RedirectStandardOutput = true, RedirectStandardError = true }
            : SystemUsers.AsUser(user, "022", Binary, Path.Combine(dir, "nagios.cfg"));
        var nagios = new NagiosProcess(Process.Start(start)!, dir);
        nagios._process.BeginOutputReadLine();
        nagios._process.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(dir, "nagios.cmd")) || !nagios.Log.Contains("Successfully launched command file worker", StringComparison.Ordinal))
        {
            if (nagios._process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("nagios4 did not start:\n" + nagios.Log);
            }

            await Task.Delay(20);
        }

        return nagios;
    }

    /// <summary>Writes one external command to the FIFO, with a timeout: a FIFO with no reader blocks forever.</summary>
    public async Task CommandAsync(string command)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}] {command}\n");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var fifo = new FileStream(Path.Combine(_dir, "nagios.cmd"), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
        await fifo.WriteAsync(Encoding.UTF8.GetBytes(line), timeout.Token);
    }

    public Task ServiceResultAsync(string host, string service, int code, string output) =>
        CommandAsync($"PROCESS_SERVICE_CHECK_RESULT;{host};{service};{code};{output}");

    public Task HostResultAsync(string host, int code, string output) =>
        CommandAsync($"PROCESS_HOST_CHECK_RESULT;{host};{code};{output}");

    /// <summary>How many notifications Nagios logged as sent, for waiting until they have all run.</summary>
    public int NotificationsLogged(string type) =>
        Log.Split('\n').Count(l => l.Contains("NOTIFICATION:", StringComparison.Ordinal) && l.Contains(";" + type, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM, as an init system would stop it; workers exit on their own.
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private static string MainConfig(string dir, string? includedConfig, bool asRoot)
    {
        var user = asRoot ? "nagios_user=root\nnagios_group=root\n" : "";
        var included = includedConfig is null ? "" : $"cfg_file={includedConfig}\n";
        return $"""
            log_file={dir}/nagios.log
            {included}cfg_file={dir}/objects.cfg
            object_cache_file={dir}/objects.cache
            precached_object_file={dir}/objects.precache
            status_file={dir}/status.dat
            status_update_interval=1
            temp_file={dir}/nagios.tmp
            temp_path={dir}
            lock_file={dir}/nagios.lock
            command_file={dir}/nagios.cmd
            query_socket={dir}/nagios.qh
            check_result_path={dir}/spool-checkresults
            log_archive_path={dir}/archives
            state_retention_file={dir}/retention.dat
            debug_file={dir}/debug.log
            {user}use_syslog=0
            check_for_updates=0
            retain_state_information=0
            event_broker_options=0
            interval_length=1
            check_external_commands=1
            check_result_reaper_frequency=1
            passive_host_checks_are_soft=0
            translate_passive_host_checks=1
            check_service_freshness=0
            check_host_freshness=0
            enable_environment_macros=1
            enable_notifications=1
            enable_flap_detection=1
            low_service_flap_threshold=5.0
            high_service_flap_threshold=20.0
            low_host_flap_threshold=5.0
            high_host_flap_threshold=20.0
            log_notifications=1
            log_passive_checks=1
            log_external_commands=1
            """;
    }

    private static string NotifyCommand(string spool) => $$"""
        define command {
            command_name    notify-helpdesk
            command_line    {{Programs.NativeCli}} notify --instance nagios-e2e --spool {{spool}}
        }

        """;

    private const string Basics = """
        define command {
            command_name    check-dummy
            command_line    /bin/true
        }
        define timeperiod {
            timeperiod_name 24x7
            alias           always
            sunday          00:00-24:00
            monday          00:00-24:00
            tuesday         00:00-24:00
            wednesday       00:00-24:00
            thursday        00:00-24:00
            friday          00:00-24:00
            saturday        00:00-24:00
        }

        """;

    private static string Contacts(int count)
    {
        var text = new StringBuilder();
        var members = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            members.Add("oncall" + i);
            text.Append(CultureInfo.InvariantCulture, $$"""
                define contact {
                    contact_name                    oncall{{i}}
                    host_notifications_enabled      1
                    service_notifications_enabled   1
                    host_notification_period        24x7
                    service_notification_period     24x7
                    host_notification_options       d,u,r,f,s
                    service_notification_options    w,u,c,r,f,s
                    host_notification_commands      notify-helpdesk
                    service_notification_commands   notify-helpdesk
                }

                """);
        }

        text.Append(CultureInfo.InvariantCulture, $$"""
            define contactgroup {
                contactgroup_name   helpdesk
                alias               helpdesk
                members             {{string.Join(',', members)}}
            }

            """);
        return text.ToString();
    }
}
