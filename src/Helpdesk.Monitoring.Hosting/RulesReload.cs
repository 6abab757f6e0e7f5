using System.Runtime.InteropServices;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Monitoring.Hosting;

/// <summary>
/// Reloads the rules file on SIGHUP (what <c>systemctl reload helpdesk</c> sends), so routing, priorities, SLA targets
/// and who is told change without a restart. A file that does not check is refused with the errors
/// <c>helpdesk rules check</c> would print, the rules read before stay in force, and helpdesk_rules_reload_successful
/// is 0 until a reload succeeds.
/// </summary>
public sealed class RulesReload(RulesInForce rules, HelpdeskMetrics metrics, TimeProvider time, ILogger<RulesReload> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _hangUp;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveRules(() => rules.LastReadSucceeded, () => rules.ReadAtUnixSeconds);

        // The signal's default would end the service; here it only reloads. The handler runs on the runtime's signal
        // thread: reading a file of at most 16 MiB there is bounded, and nothing else waits on that thread.
        _hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Reload();
        });
        return Task.CompletedTask;
    }

    /// <summary>Reads the rules file again and says in the log what is in force now.</summary>
    public void Reload()
    {
        if (rules.Path.Length == 0)
        {
            logger.LogWarning("Asked to reload the rules, but no rules file is configured (Helpdesk:RulesPath): the default rules stay in force");
            return;
        }

        var errors = rules.Read(time.GetUtcNow());
        if (errors.Count > 0)
        {
            logger.LogError("The rules file {Path} was not reloaded, and the rules read before stay in force: {Errors}. Mend it (helpdesk rules check {Path} "
                + "says the same) and reload again", rules.Path, string.Join("; ", errors), rules.Path);
            return;
        }

        logger.LogInformation("Rules reloaded from {Path} ({Summary}): what arrives from now on is decided by them; open incidents keep their priority, team and deadlines",
            rules.Path, RulesSummary.Of(rules.Current));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _hangUp?.Dispose();
}
