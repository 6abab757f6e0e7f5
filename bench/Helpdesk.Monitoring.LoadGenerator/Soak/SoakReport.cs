using System.Globalization;
using System.Text;

namespace Helpdesk.Monitoring.LoadGenerator.Soak;

/// <summary>The soak's verdict, judged after the warm-up, and its markdown report.</summary>
internal static class SoakReport
{
    // bench/results/size-model.md (one outbound channel): bytes per live incident, archived incident, applied id,
    // delivery, and timeline entries per incident.
    private const double LiveIncident = 2_564, ArchivedIncident = 1_324, AppliedId = 48, Delivery = 131, EntriesPerIncident = 4.3;

    public static (string Text, bool Passed) Markdown(IReadOnlyList<SoakSample> samples, double minutes, int rate, long special, long[] actions, long refusedPosts,
        SoakReceiver receiver, long logBytes)
    {
        var warmUp = Math.Min(5, minutes / 6);
        var steady = samples.Where(s => s.Minutes >= warmUp).ToList();
        var last = samples[^1];
        var checks = new List<(string What, string Measured, bool Passed)>();

        (double Low, double High) Spread(Func<SoakSample, double> value)
        {
            var median = Median(steady.Select(value));
            return (steady.Min(value) / median - 1, steady.Max(value) / median - 1);
        }

        var rss = Spread(s => s.RssBytes);
        checks.Add(("RSS flat after warm-up (±10 % of its median)", $"{Pct(rss.Low)} to {Pct(rss.High)} (median {Median(steady.Select(s => s.RssBytes / 1048576.0)):0} MiB)", rss.Low >= -0.10 && rss.High <= 0.10));
        var handles = Spread(s => s.Handles);
        checks.Add(("open handles flat after warm-up (±10 %)", $"{Pct(handles.Low)} to {Pct(handles.High)} (median {Median(steady.Select(s => (double)s.Handles)):0})", handles.Low >= -0.10 && handles.High <= 0.10));
        var third = Math.Max(1, steady.Count / 3);
        var (early, late) = (Median(steady.Take(third).Select(s => s.CommitP99Ms)), Median(steady.Skip(steady.Count - third).Select(s => s.CommitP99Ms)));
        checks.Add(("commit p99 does not drift (last third ≤ 1.25 × first third, or within 2 ms)", $"{early:0.0} ms → {late:0.0} ms", late <= Math.Max(early * 1.25, early + 2)));
        var archived = last.Archived;

        // Growth from the end of the warm-up, so the WAL (which keeps its largest size once it reached it) and what
        // priming wrote are not counted: what was committed in between, priced by the size model.
        static double Predicted(SoakSample s) =>
            ((s.Opened - s.Archived) * LiveIncident) + (s.Archived * ArchivedIncident) + (s.Committed * AppliedId) + (s.Opened * EntriesPerIncident * Delivery);
        var grew = (double)(last.DatabaseBytes - steady[0].DatabaseBytes);
        var predicted = Predicted(last) - Predicted(steady[0]);
        var ratio = grew / predicted;
        checks.Add(("the database grows as the size model says (0.67–1.5 × its prediction for what was committed after warm-up)",
            $"{grew / 1048576.0:0} MiB for {predicted / 1048576.0:0} MiB predicted: {ratio:0.00}×", ratio is >= 0.67 and <= 1.5));
        var passed = checks.All(c => c.Passed);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Soak ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC): {(passed ? "passed" : "FAILED")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`bench/scripts/soak.sh --minutes {minutes} --rate {rate}`. Machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{rate:N0} notifications a second (about half the service's measured capacity on this machine), of which the day's own");
        text.AppendLine(CultureInfo.InvariantCulture, $"({special:N0} in all): ten problems a second that open, are acknowledged by Nagios and recover, flapping every 30 s, a router");
        text.AppendLine("with 40 hosts behind it down from minute 3 to 5 of every ten, a storm of 1,500 problems at minute 7; the rest repeats of");
        text.AppendLine(CultureInfo.InvariantCulture, $"5,000 firing problems. Agents acted every 5 s ({actions[0]:N0} actions done, {actions[1]:N0} refused: the incident had moved on).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Every incident event went to a webhook that was fast, slow (3 s) and down (503) a minute each in turn: {receiver.Received:N0} delivered,");
        text.AppendLine(CultureInfo.InvariantCulture, $"{receiver.Refused:N0} refused and retried. Incidents closed a minute after recovering and were archived five minutes later");
        text.AppendLine(CultureInfo.InvariantCulture, $"({archived:N0} archived). Posts refused by the service: {refusedPosts:N0}. Log: {samples[^1].LogLines:N0} lines, {logBytes / 1024.0:N0} KiB in {minutes} minutes at the default levels.");
        text.AppendLine();
        text.AppendLine("| check | measured | |");
        text.AppendLine("|---|---|---|");
        foreach (var (what, measured, ok) in checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {measured} | {(ok ? "pass" : "**fail**")} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Warm-up: the first {warmUp:0.#} minutes. Committed {last.Committed:N0} notifications, opened {last.Opened:N0} incidents.");
        text.AppendLine("Every ten seconds: soak.csv beside this file; plotted in soak.png.");
        text.AppendLine();
        text.AppendLine("![soak](soak.png)");
        return (text.ToString(), passed);
    }

    private static string Pct(double v) => v.ToString("+0.0 %;-0.0 %", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }
}
