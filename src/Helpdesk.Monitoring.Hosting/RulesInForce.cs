using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Policy;

namespace Helpdesk.Monitoring.Hosting;

/// <summary>
/// The rules in force: the rules file read at start, and again when <see cref="RulesReload"/> is asked to. A file
/// that cannot be read or does not check changes nothing. After start this is the only writer of
/// <see cref="HelpdeskOptions.Incidents"/> and <see cref="HelpdeskOptions.RulesRetention"/>; each reader asks for them
/// when it decides (the committer at its next turn, the outbound routes at the next commit, customer mail at its next
/// delivery, retention at its next run), so what comes after a reload is decided as after a restart with the new file.
/// </summary>
public sealed class RulesInForce(HelpdeskOptions options, IncidentPolicy configured)
{
    // One read at a time: two reloads in a row read the file one after the other, never interleaved.
    private readonly Lock _reading = new();
    private long _lastReadSucceeded = 1;
    private long _readAtUnixSeconds;

    public string Path => options.RulesPath;

    public HelpdeskRules Current => options.Incidents.Rules;

    /// <summary>0 when the last read was refused (the rules read before stay in force), else 1.</summary>
    public long LastReadSucceeded => Interlocked.Read(ref _lastReadSucceeded);

    /// <summary>When the rules in force were read (Unix time); 0 without a rules file.</summary>
    public long ReadAtUnixSeconds => Interlocked.Read(ref _readAtUnixSeconds);

    /// <summary>
    /// Reads the rules file and puts it in force over the configured lifecycle settings (Helpdesk:Incidents, which the
    /// file's "dedup" section overrides). Returns the file's errors, and then nothing changed.
    /// </summary>
    public IReadOnlyList<string> Read(DateTimeOffset now)
    {
        lock (_reading)
        {
            var (rules, errors) = LocalFiles.ReadRules(options.RulesPath);
            if (rules is null || errors.Count > 0)
            {
                Interlocked.Exchange(ref _lastReadSucceeded, 0);
                return errors;
            }

            // Retention first: a reader that finds the new policy finds its retention too.
            options.RulesRetention = rules.Retention;
            options.Incidents = configured.WithRules(rules);
            Interlocked.Exchange(ref _lastReadSucceeded, 1);
            Interlocked.Exchange(ref _readAtUnixSeconds, now.ToUnixTimeSeconds());
            return [];
        }
    }
}
