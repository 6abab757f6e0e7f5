using System.Diagnostics;
using System.Globalization;

namespace Helpdesk.Monitoring.Diagnostics;

/// <summary>
/// Named places where a crash changes what must happen next (a file written but not renamed, a commit made but not yet
/// settled, an answer not yet sent). Compiled in and off: only when the environment variable <c>HELPDESK_CRASH_AT</c>
/// names a point (<c>name</c>, or <c>name@N</c> for its Nth arrival) does the process kill itself there with SIGKILL,
/// as a power cut or the OOM killer would, so the crash tests can prove what a restart does at each point. When off,
/// reaching a point costs one comparison.
/// </summary>
public static class CrashPoint
{
    public const string Variable = "HELPDESK_CRASH_AT";

    /// <summary>A spool or dead-letter file is written and fsynced under tmp/, not yet renamed into place.</summary>
    public const string DurableWriteBeforeRename = "durable-write.before-rename";

    /// <summary>The file is renamed into place; the folder is not yet fsynced (the rename may not survive a power cut).</summary>
    public const string DurableWriteBeforeDirectorySync = "durable-write.before-directory-sync";

    /// <summary>The store committed a batch; the shared state (Redis) is not yet written, no receipt is settled.</summary>
    public const string CommitterAfterCommit = "committer.after-commit";

    /// <summary>The store and the shared state hold the batch; its receipts are not yet settled.</summary>
    public const string CommitterBeforeSettle = "committer.before-settle";

    /// <summary>A spool file's effect is committed and settled; the file is not yet deleted.</summary>
    public const string SpoolBeforeDelete = "spool.before-delete";

    /// <summary>A POST's records are committed; the caller has not been answered.</summary>
    public const string HttpBeforeAnswer = "http.before-answer";

    /// <summary>A Kafka record's effect is durable; its offset is not yet stored for the commit.</summary>
    public const string KafkaBeforeOffsetStore = "kafka.before-offset-store";

    /// <summary>The broker acknowledged a relayed record; its spool file is not yet deleted.</summary>
    public const string RelayBeforeDelete = "relay.before-delete";

    /// <summary>A receiver took an incident event (2xx); the delivery is not yet marked sent.</summary>
    public const string OutboundAfterSend = "outbound.after-send";

    private static readonly (string? Name, int Arrival) Armed = Parse(Environment.GetEnvironmentVariable(Variable));
    private static int _arrivals;

    /// <summary>Every point, for the documentation and the tests that cover each.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        DurableWriteBeforeRename, DurableWriteBeforeDirectorySync, CommitterAfterCommit, CommitterBeforeSettle, SpoolBeforeDelete,
        HttpBeforeAnswer, KafkaBeforeOffsetStore, RelayBeforeDelete, OutboundAfterSend,
    ];

    /// <summary>Kills the process here if this point is the armed one and this is the arrival it waits for.</summary>
    public static void Reach(string name)
    {
        if (Armed.Name is not null && string.Equals(name, Armed.Name, StringComparison.Ordinal) && Interlocked.Increment(ref _arrivals) == Armed.Arrival)
        {
            Crash(name);
        }
    }

    private static void Crash(string name)
    {
        Console.Error.WriteLine($"{Variable}: killing this process at {name} (arrival {Armed.Arrival})");
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }

    private static (string?, int) Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (null, 0);
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at < 0
            ? (value, 1)
            : (value[..at], int.TryParse(value.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1);
    }
}
