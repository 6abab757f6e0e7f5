using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Kafka;
using Helpdesk.Monitoring.Outbound;
using Helpdesk.Monitoring.Redis;
using Helpdesk.Monitoring.SqlServer;
using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Hosting.Configuration;

/// <summary>The "Helpdesk" configuration section (appsettings.json, HELPDESK_/Helpdesk__ environment, command line).</summary>
public sealed class HelpdeskOptions
{
    public const string Section = "Helpdesk";

    /// <summary>Where the spool, the database and the dead letters live unless their own paths are set.</summary>
    public string DataDirectory { get; set; } = "var";

    public SpoolSection Spool { get; set; } = new();

    /// <summary>
    /// How the console log is written: "simple" (for a person at a terminal), "json" (one JSON object per line, for
    /// log shippers) or "systemd" (one line per entry with journald's priority prefix, what the unit uses).
    /// </summary>
    public string LogFormat { get; set; } = "simple";

    /// <summary>Where notifications come from: "spool" (embedded default: the local spool + HTTP) or "kafka" (scale-out).</summary>
    public string Source { get; set; } = "spool";

    public KafkaOptions Kafka { get; set; } = new();

    public RedisOptions Redis { get; set; } = new();

    public bool ConsumesKafka => string.Equals(Source, "kafka", StringComparison.OrdinalIgnoreCase);

    public string DeadLetterPath { get; set; } = "";

    /// <summary>Helpdesk:DeadLetters: how much one letter keeps, how long letters stay, how much the folder may take.</summary>
    public DeadLetterLimits DeadLetters { get; set; } = new();

    /// <summary>The rules file (priority, category, routing); empty for the built-in defaults.</summary>
    public string RulesPath { get; set; } = "";

    public StoreSection Store { get; set; } = new();

    public TopologySection Topology { get; set; } = new();

    public IncidentPolicy Incidents { get; set; } = new();

    public PipelineOptions Pipeline { get; set; } = new();

    public ApiSection Api { get; set; } = new();

    /// <summary>Helpdesk:Outbound: the channels incident events are sent to (webhooks, ...) and how deliveries are retried.</summary>
    public OutboundOptions Outbound { get; set; } = new();

    /// <summary>Helpdesk:Nagios: each Nagios instance's command file, so agents' acknowledgements reach Nagios.</summary>
    public NagiosOptions Nagios { get; set; } = new();

    /// <summary>Helpdesk:Retention: when closed incidents move to the archive and when the archive lets them go.</summary>
    public RetentionSection Retention { get; set; } = new();

    /// <summary>The retention in force: the configuration, with what the rules file's "retention" section gives.</summary>
    public RetentionPolicy RetentionPolicy(RetentionRules? rules)
    {
        var configured = new RetentionPolicy
        {
            ArchiveAfter = Retention.ArchiveAfter,
            KeepArchiveMonths = Retention.KeepArchiveMonths,
            Expired = Retention.Expired == "export" ? ExpiredArchive.Export : ExpiredArchive.Delete,
        };
        return rules?.ApplyTo(configured) ?? configured;
    }

    /// <summary>The rules file's "retention" section, when it has one (set when the rules file is read, not bound).</summary>
    public RetentionRules? RulesRetention { get; internal set; }

    public string ArchiveExportPath => Resolve(Retention.ExportPath, "archive-export");

    /// <summary>Every channel deliveries are queued for: the configured ones, and Nagios' when a command file is set.</summary>
    public IReadOnlyList<string> DeliveryChannels =>
    [
        .. Outbound.ChannelNames,
        .. Nagios.CommandFiles.Count == 0 ? [] : new[] { NagiosAcknowledgements.ChannelName },
        .. Outbound.CustomerMail.Enabled ? new[] { CustomerMailOptions.ChannelName } : [],
    ];

    public string SpoolPath => Resolve(Spool.Path, "spool");

    public string DeadLetterFolder => Resolve(DeadLetterPath, "dead-letter");

    public string SqlitePath => Resolve(Store.Sqlite.Path, "helpdesk.db");

    public string UsersPath => Resolve(Api.UsersPath, "users.json");

    public string SessionKeyPath => Resolve("", "session.key");

    public bool UsesSqlServer => string.Equals(Store.Provider, "sqlserver", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store as logs name it: the SQLite path, or just "SQL Server" (its connection string holds secrets).</summary>
    public string StoreName => UsesSqlServer ? "SQL Server" : SqlitePath;

    /// <summary>Every problem with the configuration, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            errors.Add("Helpdesk:DataDirectory must not be empty");
        }

        if (LogFormat is not ("simple" or "json" or "systemd"))
        {
            errors.Add($"Helpdesk:LogFormat must be simple, json or systemd, not '{LogFormat}'");
        }

        if (UsesSqlServer)
        {
            AddIfAny(errors, "", Store.SqlServer.Validate());
        }
        else if (!string.Equals(Store.Provider, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Helpdesk:Store:Provider must be sqlite or sqlserver, not '{Store.Provider}'");
        }

        if (Store.Sqlite.Synchronous is not ("FULL" or "NORMAL" or "EXTRA"))
        {
            errors.Add($"Helpdesk:Store:Sqlite:Synchronous must be FULL, NORMAL or EXTRA, not '{Store.Sqlite.Synchronous}'");
        }

        if (Spool.PollInterval <= TimeSpan.Zero || Spool.MaxInFlight < 1)
        {
            errors.Add("Helpdesk:Spool:PollInterval must be positive and Helpdesk:Spool:MaxInFlight at least 1");
        }

        if (Api.MaxLiveStreams is < 1 or > 10_000)
        {
            errors.Add("Helpdesk:Api:MaxLiveStreams must be between 1 and 10000");
        }

        if (Api.MaxBodyBytes is < 1024 or > 256 * 1024 * 1024)
        {
            errors.Add("Helpdesk:Api:MaxBodyBytes must be between 1024 and 268435456");
        }

        if (Api.CommitTimeout <= TimeSpan.Zero)
        {
            errors.Add("Helpdesk:Api:CommitTimeout must be positive");
        }

        if (Api.AllAgentKeys().Intersect(Api.AllIngestKeys()).Any())
        {
            errors.Add("Helpdesk:Api:AgentKey(s) must differ from the ingest keys: a Nagios server's key must not resolve incidents");
        }

        if (Api.SessionKey.Length > 0 && !(TryBase64(Api.SessionKey) is { Length: >= 32 }))
        {
            errors.Add("Helpdesk:Api:SessionKey must be base64 of at least 32 random bytes (for example: head -c 32 /dev/urandom | base64)");
        }

        if (Api.SessionLifetime < TimeSpan.FromMinutes(5) || Api.SessionLifetime > TimeSpan.FromDays(30))
        {
            errors.Add("Helpdesk:Api:SessionLifetime must be between 5 minutes and 30 days");
        }

        if (Api.MaxInFlight < 1)
        {
            errors.Add("Helpdesk:Api:MaxInFlight must be at least 1");
        }

        if (Api.MaxRejectedPerRequest < 0)
        {
            errors.Add("Helpdesk:Api:MaxRejectedPerRequest must not be negative");
        }

        if (Spool.AbandonedTemporaryAge < TimeSpan.FromMinutes(1))
        {
            errors.Add("Helpdesk:Spool:AbandonedTemporaryAge must be at least one minute (a write in progress must never be removed)");
        }

        AddIfAny(errors, "Helpdesk:", DeadLetters.Validate());

        if (!ConsumesKafka && !string.Equals(Source, "spool", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Helpdesk:Source must be spool or kafka, not '{Source}'");
        }

        if (ConsumesKafka)
        {
            errors.AddRange(Kafka.Validate());
        }

        errors.AddRange(Redis.Validate());

        if (Topology.ReloadInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Helpdesk:Topology:ReloadInterval must be at least one second");
        }

        errors.AddRange(Outbound.Validate());
        errors.AddRange(Nagios.Validate());

        AddIfAny(errors, "Helpdesk:Incidents:", Incidents.Validate());
        AddIfAny(errors, "Helpdesk:", Pipeline.Validate());
        if (Retention.Expired is not ("delete" or "export"))
        {
            errors.Add($"Helpdesk:Retention:Expired must be delete or export, not '{Retention.Expired}'");
        }

        errors.AddRange(RetentionPolicy(null).Problems("Helpdesk:Retention:"));
        return errors;
    }

    public SpoolOptions SpoolOptions() => new() { PollInterval = Spool.PollInterval, MaxInFlight = Spool.MaxInFlight, AbandonedTemporaryAge = Spool.AbandonedTemporaryAge };

    private string Resolve(string configured, string defaultName) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(DataDirectory, defaultName) : configured);

    private static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    private static void AddIfAny(List<string> errors, string prefix, string? error)
    {
        if (error is not null)
        {
            errors.Add(prefix + error);
        }
    }
}

/// <summary>Helpdesk:Retention.</summary>
public sealed class RetentionSection
{
    /// <summary>How long after closing an incident stays in the live tables.</summary>
    public TimeSpan ArchiveAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Whole months an archived incident is kept after the month it closed in; 0 keeps it for ever.</summary>
    public int KeepArchiveMonths { get; set; } = 24;

    /// <summary>delete, or export (JSON lines into <see cref="ExportPath"/>, then delete).</summary>
    public string Expired { get; set; } = "delete";

    /// <summary>Where exports are written; empty: archive-export in the data directory.</summary>
    public string ExportPath { get; set; } = "";
}

/// <summary>Helpdesk:Spool.</summary>
public sealed class SpoolSection
{
    public string Path { get; set; } = "";

    /// <summary>How often the spool is listed when no new file woke the reader (new files wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxInFlight { get; set; } = 20_000;

    /// <summary>Temporary files in tmp/ older than this were left by a killed writer and are removed.</summary>
    public TimeSpan AbandonedTemporaryAge { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Helpdesk:Topology: where Nagios writes objects.cache, and how often to look for a new one.</summary>
public sealed class TopologySection
{
    /// <summary>Nagios' object_cache_file (for example /var/cache/nagios4/objects.cache); empty for no topology.</summary>
    public string ObjectsCachePath { get; set; } = "";

    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Helpdesk:Store.</summary>
public sealed class StoreSection
{
    public string Provider { get; set; } = "sqlite";

    public SqliteSection Sqlite { get; set; } = new();

    /// <summary>Helpdesk:Store:SqlServer (Provider "sqlserver"): the connection string from the environment, never a file.</summary>
    public SqlServerStoreOptions SqlServer { get; set; } = new();
}

/// <summary>Helpdesk:Store:Sqlite.</summary>
public sealed class SqliteSection
{
    public string Path { get; set; } = "";

    public string Synchronous { get; set; } = "FULL";
}

/// <summary>Helpdesk:Api.</summary>
public sealed class ApiSection
{
    /// <summary>Keys that may write (POST notifications). Give them through the environment, never in a committed file.</summary>
    public List<string> IngestKeys { get; set; } = [];

    /// <summary>A single key, convenient as HELPDESK_INGEST_KEY or Helpdesk__Api__IngestKey.</summary>
    public string IngestKey { get; set; } = "";

    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long a POST waits for its batch to be committed before answering 503 (the records still commit).</summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most POSTed records waiting for their commit at once; beyond it callers get 503 (memory stays bounded).</summary>
    public int MaxInFlight { get; set; } = 50_000;

    /// <summary>
    /// A request with more records that are not notifications than this is refused whole (nothing is queued, one dead
    /// letter keeps the body): a sender that posts garbage learns at once, and costs one file, not one per record.
    /// </summary>
    public int MaxRejectedPerRequest { get; set; } = 100;

    /// <summary>
    /// Most live streams (GET /api/v1/events, one per open board) at once. Each committed event is handed to every
    /// stream on the pipeline's turn, so their number bounds that work; past it a stream is refused and the board
    /// reads the list every half minute instead.
    /// </summary>
    public int MaxLiveStreams { get; set; } = 200;

    public IEnumerable<string> AllIngestKeys() => IngestKeys.Append(IngestKey).Where(k => !string.IsNullOrEmpty(k));

    /// <summary>Keys that may acknowledge and resolve incidents (agents, their tools). Never the ingest keys.</summary>
    public List<string> AgentKeys { get; set; } = [];

    /// <summary>A single agent key, convenient as HELPDESK_AGENT_KEY or Helpdesk__Api__AgentKey.</summary>
    public string AgentKey { get; set; } = "";

    public IEnumerable<string> AllAgentKeys() => AgentKeys.Append(AgentKey).Where(k => !string.IsNullOrEmpty(k));

    /// <summary>The users file (people, roles, credential hashes); default: users.json in the data directory.</summary>
    public string UsersPath { get; set; } = "";

    /// <summary>
    /// The key that signs sign-in sessions and the links sent to customers (base64, at least 32 bytes). Empty: one is
    /// made on first start and kept in the data directory (session.key, mode 0600). Instances behind one address must share it.
    /// </summary>
    public string SessionKey { get; set; } = "";

    /// <summary>How long a board sign-in lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Whether reading incidents needs a sign-in. Unset: only when the service listens beyond loopback (on 127.0.0.1
    /// alone, reads stay open, as they have been, and the log says so at start).
    /// </summary>
    public bool? ReadsNeedSignIn { get; set; }
}
