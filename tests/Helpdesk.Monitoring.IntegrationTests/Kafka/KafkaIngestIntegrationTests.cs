using System.Diagnostics;
using System.Net;
using Confluent.Kafka;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Kafka;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Spool;
using Helpdesk.Monitoring.Testing;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Kafka;

/// <summary>
/// The scale-out ingest against librdkafka's mock cluster (3 brokers, several partitions): the relay, the consumer
/// group, offsets committed only after the store, dead letters, a broker outage, and an instance killed mid-stream.
/// </summary>
public sealed class KafkaIngestIntegrationTests : IDisposable
{
    private const string Topic = "helpdesk.notifications";
    private const string DeadLetterTopic = "helpdesk.notifications.dead-letter";
    private readonly TempDirectory _dir = new();
    private readonly KafkaMockCluster _cluster = new();

    public KafkaIngestIntegrationTests()
    {
        _cluster.CreateTopic(Topic, 6);
        _cluster.CreateTopic(DeadLetterTopic, 1);
        File.WriteAllText(_dir.Combine("rules.json"), """{ "version": 1, "correlation": { "storm": { "enabled": false } } }""");
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_relay_ships_the_spool_and_the_service_consumes_it_with_poison_to_the_dead_letter_topic()
    {
        await using var service = await StartServiceAsync("one", slot: 0, slots: 1);
        var spool = new SpoolPaths(_dir.Combine("nagios-spool")).EnsureExists();
        var traffic = Traffic(hosts: 40);
        Enqueue(new SpoolWriter(spool), traffic);
        await using (var relay = new RelayProcess(spool.Root, _cluster.BootstrapServers, Topic))
        {
            await service.EventuallyAsync(async () => await Matches(service, traffic), TimeSpan.FromSeconds(60), () => $"the incidents of the shipped spool ({Directory.GetFiles(spool.Incoming).Length} files left): {_lastDifference}\nrelay:\n" + relay.Output);
            await service.EventuallyAsync(() => Task.FromResult(Directory.GetFiles(spool.Incoming).Length == 0), TimeSpan.FromSeconds(30), "an empty spool: every file acknowledged and deleted");
        }

        // Garbage on the topic goes to the dead-letter topic with its reason, and consumption goes on.
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(Topic, new Message<byte[]?, byte[]?> { Key = "x"u8.ToArray(), Value = "{not a notification"u8.ToArray() });
            await producer.ProduceAsync(Topic, new Message<byte[]?, byte[]?>
            {
                Value = Records.Bytes(Records.Service(NotificationType.Problem, host: "after-poison", timeT: TimeProvider.System.GetUtcNow().ToUnixTimeSeconds())),
            });
        }

        var dead = ConsumeOne(DeadLetterTopic, TimeSpan.FromSeconds(60));
        Assert.Equal("{not a notification", System.Text.Encoding.UTF8.GetString(dead.Message.Value!));
        Assert.Equal("malformed_json", System.Text.Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes("helpdesk-reason")));
        await service.WaitForAsync("/api/v1/incidents?host=after-poison", p => p.GetProperty("total").GetInt64() == 1, TimeSpan.FromSeconds(60));

        // Every offset is committed once its effect is durable: the lag drains to zero.
        await service.WaitForMetricAsync("helpdesk_kafka_consumer_lag", v => v == 0, TimeSpan.FromSeconds(30));

        // In the kafka mode, notifications do not enter through HTTP (that would bypass the partition's order).
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications") { Content = new StringContent("[]") };
        post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceProcess.IngestKey);
        using var refused = await service.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public async Task While_every_broker_is_down_the_relay_keeps_the_spool_and_ships_it_when_they_return()
    {
        await using var service = await StartServiceAsync("one", slot: 0, slots: 1);
        var spool = new SpoolPaths(_dir.Combine("nagios-spool")).EnsureExists();
        var writer = new SpoolWriter(spool);
        await using var relay = new RelayProcess(spool.Root, _cluster.BootstrapServers, Topic);

        // Running normally first: the relay and the consumer are connected.
        var before = Traffic(hosts: 5);
        Enqueue(writer, before);
        await service.EventuallyAsync(async () => await Matches(service, before), TimeSpan.FromSeconds(60), () => "the first batch: " + _lastDifference + "\n" + relay.Output);

        for (var broker = 1; broker <= 3; broker++)
        {
            _cluster.SetBrokerDown(broker);
        }

        var during = Traffic(hosts: 10, prefix: "late");
        Enqueue(writer, during);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(during.Count, Directory.GetFiles(spool.Incoming).Length);

        for (var broker = 1; broker <= 3; broker++)
        {
            _cluster.SetBrokerUp(broker);
        }

        await service.EventuallyAsync(async () => await Matches(service, [.. before, .. during]), TimeSpan.FromSeconds(120),
            () => "the incidents after the brokers came back: " + _lastDifference + "\nrelay:\n" + relay.Output);
        await service.EventuallyAsync(() => Task.FromResult(Directory.GetFiles(spool.Incoming).Length == 0), TimeSpan.FromSeconds(60), "an empty spool");
    }

    [Fact]
    public async Task An_instance_killed_mid_stream_is_taken_over_and_the_incidents_are_those_of_a_run_without_the_kill()
    {
        var traffic = Traffic(hosts: 300);
        Produce(traffic);

        var shared = _dir.Combine("shared.db");
        await using var a = await StartServiceAsync("a", slot: 0, slots: 2, shared);
        await using var b = await StartServiceAsync("b", slot: 1, slots: 2, shared);
        await a.EventuallyAsync(async () => (await a.GetJsonAsync("/api/v1/incidents")).GetProperty("total").GetInt64() >= 30, TimeSpan.FromSeconds(60), "progress before the kill");
        a.Kill();

        await b.EventuallyAsync(async () => await Matches(b, traffic), TimeSpan.FromSeconds(120), "the incidents after the take-over");
        await b.WaitForMetricAsync("helpdesk_kafka_consumer_lag", v => v == 0, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task While_the_store_is_unavailable_consumption_pauses_within_its_bound_and_resumes_losing_nothing()
    {
        var database = _dir.Combine("store.db");
        await using var service = await StartServiceAsync("one", slot: 0, slots: 1, database, maxInFlight: 100);
        var first = Traffic(hosts: 10, prefix: "first");
        Produce(first);
        await service.EventuallyAsync(async () => await Matches(service, first), TimeSpan.FromSeconds(60), () => "the first batch: " + _lastDifference);

        await using (var blocker = SqliteWriteLock.Hold(database))
        {
            var second = Traffic(hosts: 80, prefix: "second");
            Produce(second);
            await service.WaitForMetricAsync("helpdesk_kafka_in_flight", v => v >= 100, TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(2));
            await service.WaitForMetricAsync("helpdesk_kafka_in_flight", v => v is >= 100 and <= 101, TimeSpan.FromSeconds(5));
            await service.WaitForMetricAsync("helpdesk_kafka_consumer_lag", v => v > 0, TimeSpan.FromSeconds(5));

            using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
            await service.EventuallyAsync(async () => await Matches(service, [.. first, .. second]), TimeSpan.FromSeconds(120),
                () => "everything after the store came back: " + _lastDifference);
        }

        await service.WaitForMetricAsync("helpdesk_kafka_consumer_lag", v => v == 0, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Redis_killed_and_restarted_mid_stream_loses_nothing_and_doubles_nothing()
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var service = await StartServiceAsync("one", slot: 0, slots: 1, redis: redis.Configuration);
        var first = Traffic(hosts: 20, prefix: "first");
        Produce(first);
        await service.EventuallyAsync(async () => await Matches(service, first), TimeSpan.FromSeconds(60), () => "before the kill: " + _lastDifference);

        // Redis dies; redeliveries of the first records (same event ids) and new traffic arrive meanwhile.
        redis.Kill();
        var second = Traffic(hosts: 20, prefix: "second");
        Produce([.. first.Take(30), .. second]);
        await service.EventuallyAsync(async () => await Matches(service, [.. first, .. second]), TimeSpan.FromSeconds(60), () => "without Redis: " + _lastDifference);
        await service.WaitForMetricAsync("helpdesk_shared_state_failures_total{operation=\"read\"}", v => v > 0, TimeSpan.FromSeconds(10));

        // Back, empty: more redeliveries (now also of records it never saw) and new traffic.
        await redis.RestartAsync();
        var third = Traffic(hosts: 20, prefix: "third");
        Produce([.. second.Take(30), .. first.Skip(30), .. third]);
        await service.EventuallyAsync(async () => await Matches(service, [.. first, .. second, .. third]), TimeSpan.FromSeconds(60), () => "after Redis came back: " + _lastDifference);
        await service.WaitForMetricAsync("helpdesk_kafka_consumer_lag", v => v == 0, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Children_decided_on_two_instances_join_the_parent_incident_through_redis()
    {
        // A core router and 24 children behind it: the children's hosts fall into every partition, so into both instances.
        var children = Enumerable.Range(0, 24).Select(i => $"leaf{i:D2}").ToList();
        File.WriteAllText(_dir.Combine("objects.cache"), ObjectsCacheText.Hosts([("core01", null), .. children.Select(c => (c, (string?)"core01"))]));
        await using var redis = await RedisProcess.StartAsync();
        var shared = _dir.Combine("shared.db");
        await using var a = await StartServiceAsync("a", slot: 0, slots: 2, shared, redis: redis.Configuration, topology: _dir.Combine("objects.cache"));
        await using var b = await StartServiceAsync("b", slot: 1, slots: 2, shared, redis: redis.Configuration, topology: _dir.Combine("objects.cache"));
        await a.WaitForMetricAsync("helpdesk_kafka_assigned_partitions", v => v is > 0 and < 6, TimeSpan.FromSeconds(60));
        await b.WaitForMetricAsync("helpdesk_kafka_assigned_partitions", v => v is > 0 and < 6, TimeSpan.FromSeconds(60));

        var t0 = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        Produce([Records.Host(NotificationType.Problem, host: "core01", timeT: t0)]);
        await a.EventuallyAsync(async () => (await a.GetJsonAsync("/api/v1/incidents")).GetProperty("total").GetInt64() == 1, TimeSpan.FromSeconds(30), "the router's incident");

        // Nagios notifies the children after the parent (their checks find it down); by then every instance has it.
        // Without Redis (each instance's own view) this ends with about half the children in incidents of their own.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Produce(children.Select((c, i) => Records.Host(NotificationType.Problem, host: c, state: AlertState.Unreachable, timeT: t0 + 5 + i)).ToList());
        await a.EventuallyAsync(async () =>
        {
            var list = await a.GetJsonAsync("/api/v1/incidents");
            if (list.GetProperty("total").GetInt64() != 1)
            {
                _lastDifference = $"{list.GetProperty("total")} incidents: " + string.Join(", ", list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("host").GetString()));
                return false;
            }

            var number = list.GetProperty("items")[0].GetProperty("number").GetString();
            var members = (await a.GetJsonAsync($"/api/v1/incidents/{number}")).GetProperty("members").GetArrayLength();
            _lastDifference = $"{members} members";
            return members == children.Count;
        }, TimeSpan.FromSeconds(60), () => "one incident holding every child: " + _lastDifference);
    }

    [Fact]
    public async Task An_instance_taking_over_reports_the_lag_from_where_the_group_stands_not_from_the_start()
    {
        var before = Traffic(hosts: 20, prefix: "before");
        Produce(before);
        var database = _dir.Combine("lag.db");
        await using (var first = await StartServiceAsync("first", slot: 0, slots: 1, database))
        {
            await first.EventuallyAsync(async () => await Matches(first, before), TimeSpan.FromSeconds(60), () => "the first run: " + _lastDifference);
            await first.WaitForMetricAsync("helpdesk_kafka_consumer_lag", v => v == 0, TimeSpan.FromSeconds(30));

            // Stored offsets are committed every second.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
        }

        // The next instance takes records it cannot make durable yet (another writer holds the store), so it stores no
        // offset: its lag is those records, not everything since the start of the topic.
        await using var second = await StartServiceAsync("second", slot: 0, slots: 1, database);
        await second.WaitForMetricAsync("helpdesk_kafka_assigned_partitions", v => v == 6, TimeSpan.FromSeconds(60));
        await using var blocker = SqliteWriteLock.Hold(database);

        var after = Traffic(hosts: 5, prefix: "after");
        Produce(after);
        await second.WaitForMetricAsync("helpdesk_kafka_in_flight", v => v == after.Count, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await second.WaitForMetricAsync("helpdesk_kafka_consumer_lag", v => v == after.Count, TimeSpan.FromSeconds(5));
    }

    private void Produce(List<Notification> traffic)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(KafkaRelay.ProducerConfig(new KafkaOptions { BootstrapServers = _cluster.BootstrapServers })).Build();
        foreach (var n in traffic)
        {
            var record = Records.Bytes(n);
            Assert.True(NotificationParser.TryParse(record, out var fields, out _));
            producer.Produce(Topic, new Message<byte[], byte[]> { Key = PartitionKey.Of(record, in fields), Value = record });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    private async Task<ServiceProcess> StartServiceAsync(string name, int slot, int slots, string? database = null, int maxInFlight = 20_000, string redis = "",
        string topology = "")
    {
        var data = _dir.Combine(name);
        Directory.CreateDirectory(data);
        return await ServiceProcess.StartAsync(data, new Dictionary<string, string>
        {
            ["Helpdesk__Redis__Configuration"] = redis,
            ["Helpdesk__Topology__ObjectsCachePath"] = topology,
            ["Helpdesk__Source"] = "kafka",
            ["Helpdesk__RulesPath"] = _dir.Combine("rules.json"),
            ["Helpdesk__Kafka__BootstrapServers"] = _cluster.BootstrapServers,
            ["Helpdesk__Kafka__Topic"] = Topic,
            ["Helpdesk__Kafka__DeadLetterTopic"] = DeadLetterTopic,
            ["Helpdesk__Kafka__Properties__session.timeout.ms"] = "6000",
            ["Helpdesk__Kafka__Properties__heartbeat.interval.ms"] = "500",
            ["Helpdesk__Incidents__IdSlot"] = slot.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Helpdesk__Incidents__IdSlots"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Helpdesk__Store__Sqlite__Path"] = database ?? Path.Combine(data, "helpdesk.db"),
            ["Helpdesk__Kafka__MaxInFlight"] = maxInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Per host: a PROBLEM from three contacts, a re-notification, and for every other host a RECOVERY.</summary>
    private static void Enqueue(SpoolWriter writer, List<Notification> traffic)
    {
        foreach (var n in traffic)
        {
            writer.Enqueue(Records.Bytes(n), n.TimeT, n.EventId);
        }
    }

    private static List<Notification> Traffic(int hosts, string prefix = "srv")
    {
        // Nagios' times around now: the service's clock must not find the verification hold long over.
        var t0 = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var traffic = new List<Notification>();
        for (var h = 0; h < hosts; h++)
        {
            var problem = Records.Service(NotificationType.Problem, host: $"{prefix}{h:D4}", timeT: t0 + h);
            traffic.AddRange([problem, problem with { EventId = Guid.CreateVersion7() }, problem with { EventId = Guid.CreateVersion7() }]);
            traffic.Add(problem with { EventId = Guid.CreateVersion7(), TimeT = problem.TimeT + 600 });
            if (h % 2 == 0)
            {
                traffic.Add(Records.Service(NotificationType.Recovery, host: $"{prefix}{h:D4}", state: AlertState.Ok, timeT: t0 + h + 900));
            }
        }

        return traffic;
    }

    /// <summary>What the service holds equals what the same notifications give in one uninterrupted run of the core.</summary>
    private static async Task<bool> Matches(ServiceProcess service, List<Notification> traffic)
    {
        var expected = Expected(traffic);
        var actual = new Dictionary<string, string>();
        for (var page = 1; ; page++)
        {
            var json = await service.GetJsonAsync($"/api/v1/incidents?pageSize=500&page={page}");
            foreach (var i in json.GetProperty("items").EnumerateArray())
            {
                actual[i.GetProperty("host").GetString() + "/" + i.GetProperty("service").GetString()] =
                    $"{i.GetProperty("status").GetString()} alerts={i.GetProperty("alertCount").GetInt64()} {i.GetProperty("state").GetString()}";
            }

            if (page * 500 >= json.GetProperty("total").GetInt64())
            {
                break;
            }
        }

        _lastDifference = string.Join("\n", expected.Where(e => !actual.TryGetValue(e.Key, out var a) || a != e.Value).Take(5)
            .Select(e => $"{e.Key}: expected {e.Value}, got {actual.GetValueOrDefault(e.Key, "nothing")}"))
            + $"\n({actual.Count} incidents, {expected.Count} expected)";
        return actual.Count == expected.Count && expected.All(e => actual.TryGetValue(e.Key, out var a) && a == e.Value);
    }

    private static string _lastDifference = "";

    private static Dictionary<string, string> Expected(List<Notification> traffic)
    {
        var projection = new IncidentProjection();
        var book = new IncidentBook(new IncidentPolicy(), [], 0, 0);
        foreach (var n in traffic)
        {
            var record = Records.Bytes(n);
            var fields = Records.Parse(record);
            var plan = new CommitPlan();
            book.Apply(record, in fields, TimeProvider.System.GetUtcNow(), false, plan);
            plan.Seal();
            projection.Apply(plan);
        }

        return projection.Incidents.Values.ToDictionary(i => $"{i.Host}/{i.Service}",
            i => $"{i.Status.ToString().ToLowerInvariant()} alerts={i.AlertCount} {NagiosNames.Of(i.State)}");
    }

    private ConsumeResult<byte[]?, byte[]?> ConsumeOne(string topic, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "test-" + Guid.NewGuid(),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: not null } result)
            {
                return result;
            }
        }

        throw new TimeoutException($"nothing on {topic} within {timeout}");
    }
}
