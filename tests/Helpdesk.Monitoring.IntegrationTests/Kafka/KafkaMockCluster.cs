using System.Runtime.InteropServices;
using System.Text;

namespace Helpdesk.Monitoring.Testing;

/// <summary>
/// librdkafka's built-in mock cluster: real Kafka protocol on 127.0.0.1, brokers inside this test process, reachable
/// by child processes through <see cref="BootstrapServers"/>. It runs in the Kafka client's own bundled librdkafka
/// (the one the service and the relay load), not any system copy. Topics are created with their
/// partition count through the C API; brokers can be set down and up, the next requests of a kind made to fail with
/// chosen Kafka errors, and the requests the brokers received listed, for failure tests. Shared (linked) by the
/// integration tests and the Kafka load generator.
/// </summary>
public sealed partial class KafkaMockCluster : IDisposable
{
    private const string Library = "librdkafka";
    private readonly IntPtr _handle;

    static KafkaMockCluster()
    {
        // The same file Confluent.Kafka loads (runtimes/<rid>/native): one library in the process, one version.
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var bundled = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", "librdkafka.so");
        NativeLibrary.SetDllImportResolver(typeof(KafkaMockCluster).Assembly,
            (name, _, _) => name == Library ? NativeLibrary.Load(bundled) : IntPtr.Zero);
    }

    private readonly IntPtr _cluster;

    public KafkaMockCluster(int brokers = 3)
    {
        var error = new byte[512];
        var conf = NativeMethods.rd_kafka_conf_new();
        Check(NativeMethods.rd_kafka_conf_set(conf, "test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture), error, (UIntPtr)error.Length) == 0, error);
        Check(NativeMethods.rd_kafka_conf_set(conf, "log_level", "0", error, (UIntPtr)error.Length) == 0, error);

        // A producer handle owns the mock cluster; it is never used to produce.
        _handle = NativeMethods.rd_kafka_new(0, conf, error, (UIntPtr)error.Length);
        Check(_handle != IntPtr.Zero, error);
        _cluster = NativeMethods.rd_kafka_handle_mock_cluster(_handle);
        Check(_cluster != IntPtr.Zero, "no mock cluster on the handle"u8.ToArray());
        BootstrapServers = Marshal.PtrToStringAnsi(NativeMethods.rd_kafka_mock_cluster_bootstraps(_cluster))!;
    }

    public string BootstrapServers { get; }

    public void CreateTopic(string topic, int partitions, int replication = 3)
    {
        var result = NativeMethods.rd_kafka_mock_topic_create(_cluster, topic, partitions, replication);
        if (result != 0)
        {
            throw new InvalidOperationException($"mock topic {topic}: error {result}");
        }
    }

    /// <summary>
    /// Drops a partition's records before <paramref name="offset"/>, as a real broker's retention would. The mock finds
    /// a fetch's offset by walking the partition's log from its oldest batch, so a log kept long makes every fetch
    /// dearer; the load generator trims behind the group's commit to keep that walk as short as a real broker's look-up.
    /// </summary>
    public void DeleteRecordsBefore(string topic, int partition, long offset)
    {
        var result = NativeMethods.rd_kafka_mock_partition_delete_records(_cluster, topic, partition, offset);
        if (result != 0)
        {
            throw new InvalidOperationException($"mock topic {topic} [{partition}]: deleting records before {offset} failed with error {result}");
        }
    }

    public void SetBrokerDown(int broker) => Check(NativeMethods.rd_kafka_mock_broker_set_down(_cluster, broker) == 0, "broker down failed"u8.ToArray());

    public void SetBrokerUp(int broker) => Check(NativeMethods.rd_kafka_mock_broker_set_up(_cluster, broker) == 0, "broker up failed"u8.ToArray());

    /// <summary>The next requests of this kind (on any broker) fail with these Kafka error codes, one each, in order.</summary>
    public void FailNextRequests(KafkaApi api, params int[] errorCodes) =>
        NativeMethods.rd_kafka_mock_push_request_errors_array(_cluster, (short)api, (UIntPtr)errorCodes.Length, errorCodes);

    /// <summary>From now on the brokers remember every request they receive (see <see cref="Requests"/>).</summary>
    public void StartRequestTracking() => NativeMethods.rd_kafka_mock_start_request_tracking(_cluster);

    /// <summary>The requests the brokers received since tracking started, oldest first.</summary>
    public IReadOnlyList<(int Broker, KafkaApi Api, long TimestampMicroseconds)> Requests()
    {
        var array = NativeMethods.rd_kafka_mock_get_requests(_cluster, out var count);
        var requests = new List<(int, KafkaApi, long)>((int)count);
        for (var i = 0; i < (int)count; i++)
        {
            var request = Marshal.ReadIntPtr(array, i * IntPtr.Size);
            requests.Add((NativeMethods.rd_kafka_mock_request_id(request), (KafkaApi)NativeMethods.rd_kafka_mock_request_api_key(request),
                NativeMethods.rd_kafka_mock_request_timestamp(request)));
        }

        NativeMethods.rd_kafka_mock_request_destroy_array(array, count);
        return requests;
    }

    public void Dispose() => NativeMethods.rd_kafka_destroy(_handle);

    private static void Check(bool ok, byte[] error)
    {
        if (!ok)
        {
            var end = Array.IndexOf(error, (byte)0);
            throw new InvalidOperationException("librdkafka mock cluster: " + Encoding.UTF8.GetString(error, 0, end >= 0 ? end : error.Length));
        }
    }

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054 // Plain DllImport: a test fixture, a handful of calls.
        [DllImport(Library)]
        public static extern IntPtr rd_kafka_conf_new();

        [DllImport(Library)]
        public static extern int rd_kafka_conf_set(IntPtr conf, [MarshalAs(UnmanagedType.LPStr)] string name, [MarshalAs(UnmanagedType.LPStr)] string value, byte[] error, UIntPtr errorSize);

        [DllImport(Library)]
        public static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] error, UIntPtr errorSize);

        [DllImport(Library)]
        public static extern IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

        [DllImport(Library)]
        public static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

        [DllImport(Library)]
        public static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPStr)] string topic, int partitions, int replication);

        [DllImport(Library)]
        public static extern int rd_kafka_mock_partition_delete_records(IntPtr cluster, [MarshalAs(UnmanagedType.LPStr)] string topic, int partition, long offset);

        [DllImport(Library)]
        public static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

        [DllImport(Library)]
        public static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

        [DllImport(Library)]
        public static extern void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);

        [DllImport(Library)]
        public static extern void rd_kafka_mock_start_request_tracking(IntPtr cluster);

        [DllImport(Library)]
        public static extern IntPtr rd_kafka_mock_get_requests(IntPtr cluster, out UIntPtr count);

        [DllImport(Library)]
        public static extern int rd_kafka_mock_request_id(IntPtr request);

        [DllImport(Library)]
        public static extern short rd_kafka_mock_request_api_key(IntPtr request);

        [DllImport(Library)]
        public static extern long rd_kafka_mock_request_timestamp(IntPtr request);

        [DllImport(Library)]
        public static extern void rd_kafka_mock_request_destroy_array(IntPtr requests, UIntPtr count);

        [DllImport(Library)]
        public static extern void rd_kafka_destroy(IntPtr rk);
#pragma warning restore SYSLIB1054
    }
}

/// <summary>The Kafka protocol requests the failure tests aim at (their API keys); beside the cluster, which the load generator links too.</summary>
public enum KafkaApi : short
{
    Produce = 0,
    OffsetCommit = 8,
    Heartbeat = 12,
    InitProducerId = 22,
}
