using Helpdesk.Monitoring.Hosting.Api;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Retention;
using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.People;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Hosting.Metrics;
using Helpdesk.Monitoring.Outbound;
using Helpdesk.Monitoring.Kafka;
using Helpdesk.Monitoring.Policy;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Sqlite;
using Helpdesk.Monitoring.SqlServer;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Hosting;

/// <summary>The composition root: configuration in, adapters wired, endpoints mapped.</summary>
public static class HelpdeskHost
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static async Task<int> RunAsync(string[] args)
    {
        NativeHeap.LimitArenas();
        if (args is ["store", .. var store])
        {
            return StoreCommands.Run(store);
        }

        var app = Build(args, out var errors);
        if (app is null)
        {
            await Console.Error.WriteLineAsync("helpdesk-service: invalid configuration:\n  " + string.Join("\n  ", errors));
            return 2;
        }

        await app.RunAsync();
        return Environment.ExitCode;
    }

    /// <summary>Builds the application, or returns null with the configuration errors.</summary>
    public static WebApplication? Build(string[] args, out IReadOnlyList<string> errors, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json ships beside the executable; the working directory only anchors relative data paths.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configFile = ConfigurationFile.AddFromEnvironment(builder.Configuration);
        builder.Configuration.AddEnvironmentVariables("HELPDESK_");
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["Urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Before a test's own providers are added; a wrong value is reported with the other configuration errors.
        UseLogFormat(builder.Logging, builder.Configuration["Helpdesk:LogFormat"] ?? "simple");
        configure?.Invoke(builder);
        var options = new HelpdeskOptions();
        try
        {
            builder.Configuration.GetSection(HelpdeskOptions.Section).Bind(options);
        }
        catch (InvalidOperationException ex) when (ConfigurationValue.Explain(ex) is { } wrongValue)
        {
            errors = [wrongValue];
            return null;
        }

        // HELPDESK_INGEST_KEY is the short form most deployments use.
        if (builder.Configuration["INGEST_KEY"] is { Length: > 0 } shortKey)
        {
            options.Api.IngestKey = shortKey;
        }

        if (builder.Configuration["AGENT_KEY"] is { Length: > 0 } agentKey)
        {
            options.Api.AgentKey = agentKey;
        }

        var problems = UnknownSettings.In(builder.Configuration.GetSection(HelpdeskOptions.Section), typeof(HelpdeskOptions)).ToList();
        problems.AddRange(options.Validate());
        if (options.ConsumesKafka && problems.Count == 0 && KafkaNativeLibrary.Check().Problem is null)
        {
            // A library that does not load is reported by the pipeline's start, as before.
            problems.AddRange(new[] { KafkaSettingsCheck.ConsumerRefusal(options.Kafka), KafkaSettingsCheck.ProducerRefusal(options.Kafka) }
                .OfType<string>().Distinct().Select(refusal => $"Helpdesk:Kafka:Properties: {refusal}"));
        }

        if (configFile.Error is { } configError)
        {
            problems.Insert(0, configError);
        }

        var rulesInForce = new RulesInForce(options, options.Incidents);
        if (options.RulesPath.Length > 0)
        {
            problems.AddRange(rulesInForce.Read(TimeProvider.System.GetUtcNow()).Select(e => $"Helpdesk:RulesPath ({options.RulesPath}): {e}"));
        }

        var usersVersion = UsersFile.Version(options.UsersPath);
        var (users, userErrors) = UsersFile.Read(options.UsersPath);
        problems.AddRange(userErrors);
        SigningKey? signingKey = null;
        try
        {
            signingKey = problems.Count == 0 ? SigningKey.Load(options.Api.SessionKey, options.SessionKeyPath) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            problems.Add($"the session key {options.SessionKeyPath} cannot be read or made: {ex.Message}");
        }

        errors = problems;
        if (errors.Count > 0)
        {
            return null;
        }

        var urls = builder.Configuration["urls"] is { Length: > 0 } configuredUrls ? configuredUrls : builder.Configuration["Urls"] ?? DefaultUrl;
        var readsNeedSignIn = options.Api.ReadsNeedSignIn ?? !ListenAddresses.LoopbackOnly(urls);
        // First of the hosted services, so that a reload asked for during the start finds its handler (SIGHUP's default
        // would end the process).
        builder.Services.AddSingleton(rulesInForce);
        builder.Services.AddHostedService<RulesReload>();
        AddServices(builder.Services, options);
        builder.Services.AddSingleton(sp => new UserSource(options.UsersPath, users!, usersVersion, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<UserSource>>()));
        builder.Services.AddSingleton(new SessionCookie(signingKey!, options.Api.SessionLifetime));
        builder.Services.AddSingleton(sp => new Access(sp.GetRequiredService<UserSource>(), sp.GetRequiredService<AgentKeys>(),
            sp.GetRequiredService<SessionCookie>(), readsNeedSignIn, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new LiveFeed(sp.GetRequiredService<TimeProvider>(), options.Api.MaxLiveStreams));
        builder.Services.AddSingleton(new Helpdesk.Monitoring.Customers.CustomerLinks(signingKey!.For("customer-link")));
        var app = builder.Build();

        // The exporter listens from the start, so no measurement before the first scrape is missed.
        app.Services.GetRequiredService<PrometheusMetrics>();

        // A failure no endpoint expected answers an RFC 7807 problem document, never an empty 500.
        app.UseExceptionHandler();
        app.MapNotificationEndpoints();
        app.MapIncidentEndpoints();
        app.MapAgentEndpoints();
        app.MapDeliveryEndpoints();
        app.MapDeliveryRequeueEndpoints();
        app.MapHealthEndpoints();
        app.MapSessionEndpoints();
        app.Services.GetRequiredService<LiveFeed>().Map(app);
        app.MapBoard();
        app.MapCustomerEndpoints();
        app.MapOpenApiDocument();
        SayWhoMayRead(app, users!, readsNeedSignIn, options);
        return app;
    }

    /// <summary>
    /// Says at start who may read, act and post, so an open board is a decision someone saw, never an accident, and
    /// a closed door is not found by the first sender.
    /// </summary>
    private static void SayWhoMayRead(WebApplication app, UserDirectory users, bool readsNeedSignIn, HelpdeskOptions options)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Helpdesk.Monitoring.Access");
        if (readsNeedSignIn)
        {
            log.LogInformation("Reading incidents needs a sign-in (the board, or a user's API token); users file {Path}: {Count} users",
                options.UsersPath, users.Users.Count);
        }
        else
        {
            log.LogWarning("Reading incidents needs no sign-in: the service listens on loopback only (set Helpdesk:Api:ReadsNeedSignIn to true to require it); acting always needs one");
        }

        if (users.Users.Count == 0)
        {
            log.LogWarning("The users file {Path} has no users yet: nobody can sign in to the board. Add one with: helpdesk users add NAME --role admin --users-file {Path}",
                options.UsersPath, options.UsersPath);
        }

        if (!options.Api.AllIngestKeys().Any())
        {
            // The spool (or Kafka) still delivers; a sender over HTTP would only learn it from its first 401.
            log.LogInformation("Posting notifications over HTTP is off: no ingest key is configured (Helpdesk:Api:IngestKey, or HELPDESK_INGEST_KEY), "
                + "so POST /api/v1/notifications answers 401");
        }

        if (options.Api.AllAgentKeys().Any())
        {
            log.LogWarning("A shared agent key is configured: actions taken with it are recorded under the name the caller gives in \"by\"; give each person a token instead (helpdesk users token NAME)");
        }
    }

    private static void AddServices(IServiceCollection services, HelpdeskOptions options)
    {
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new IngestKeys(options.Api.AllIngestKeys()));
        services.AddSingleton<IgnoredProperties>();
        services.AddSingleton(new AgentKeys(options.Api.AllAgentKeys()));
        services.AddSingleton<PipelineReadiness>();
        services.AddSingleton(new HttpIngest(options.Api.MaxInFlight));
        var routing = options.Incidents.Rules.Routing;
        var labels = new Dictionary<string, MetricLabel[]>(OutboundMetrics.Labels(options.DeliveryChannels), StringComparer.Ordinal)
        {
            [HelpdeskMetricLabels.SatisfactionName] = HelpdeskMetricLabels.Satisfaction(routing.Routes.Select(r => r.Team).Prepend(routing.DefaultTeam)),
        };
        services.AddSingleton(new PrometheusMetrics(options.ConsumesKafka, labels));
        services.AddProblemDetails();
        services.AddOpenApiDocument();

        if (options.UsesSqlServer)
        {
            var sqlServer = new SqlServerIncidentStore(options.Store.SqlServer);
            services.AddSingleton<IIncidentStore>(sqlServer);
            services.AddSingleton<IIncidentQueries>(sqlServer);
            services.AddSingleton<IDeliveryQueue>(sqlServer);
            services.AddSingleton<ISatisfactionRecords>(sqlServer);
            services.AddSingleton<IIncidentArchive>(sqlServer);
        }
        else
        {
            var store = new SqliteIncidentStore(new SqliteStoreOptions { Path = options.SqlitePath, Synchronous = options.Store.Sqlite.Synchronous });
            services.AddSingleton(store);
            services.AddSingleton<IIncidentStore>(store);
            services.AddSingleton<IIncidentQueries>(store);
            services.AddSingleton<IDeliveryQueue>(store);
            services.AddSingleton<ISatisfactionRecords>(store);
            services.AddSingleton<IIncidentArchive>(store);
        }

        // One set of instruments per service: everything that counts gets this instance, and /metrics publishes it.
        var metrics = new HelpdeskMetrics();
        services.AddSingleton(metrics);
        var deadLetters = new DeadLetterDirectory(options.DeadLetterFolder, options.DeadLetters) { OnDropped = metrics.DeadLetterDropped };
        services.AddSingleton(deadLetters);
        services.AddSingleton<IDeadLetterSink>(deadLetters);

        var spoolPaths = new SpoolPaths(options.SpoolPath).EnsureExists();
        services.AddSingleton(spoolPaths);
        services.AddSingleton(sp =>
        {
            var spool = new SpoolSource(spoolPaths, deadLetters, options.SpoolOptions(), sp.GetRequiredService<TimeProvider>(),
                (message, error) => sp.GetRequiredService<ILoggerFactory>().CreateLogger<SpoolSource>().LogWarning(error, "{Message}", message));
            spool.Rejected += reason => metrics.Rejected(reason, "spool");
            return spool;
        });
        services.AddSingleton(sp =>
        {
            var kafka = new KafkaSource(options.Kafka, sp.GetRequiredService<TimeProvider>(),
                (message, error) => sp.GetRequiredService<ILoggerFactory>().CreateLogger<KafkaSource>().LogWarning(error, "{Message}", message));
            kafka.Rejected += reason => metrics.Rejected(reason, "kafka");
            return kafka;
        });
        services.AddSingleton<OutboundService>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboundService>());
        services.AddHostedService<PipelineService>();
        services.AddHostedService<TopologyWatcher>();
        services.AddHostedService<NagiosReconciliation>();
        services.AddSingleton<Func<RetentionPolicy>>(() => options.RetentionPolicy(options.RulesRetention));
        services.AddSingleton(new ArchiveExport(options.ArchiveExportPath));
        services.AddHostedService<IncidentArchiving>();
    }

    private static void UseLogFormat(ILoggingBuilder logging, string format)
    {
        logging.ClearProviders();
        _ = format switch
        {
            // A UTC timestamp on each line: a shipper's clock and zone are not the service's.
            "json" => logging.AddJsonConsole(o =>
            {
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            }),
            // One line per entry, its priority as <N> for journald, no colours: what a unit's stdout wants.
            "systemd" => logging.AddSystemdConsole(),
            _ => logging.AddSimpleConsole(),
        };
    }
}
