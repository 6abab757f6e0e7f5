using System.Runtime.InteropServices;
using System.Text;

namespace Helpdesk.Monitoring.Testing;

/// <summary>
/// librdkafka's built-in mock cluster: real Kafka protocol on 127.0.0.1, brokers inside this test process, reachable
/// by child processes through <see cref="BootstrapServers"/>. It runs in the Kafka client's own bundled librdkafka
/// (the one the service and the relay load), not any system copy. Topics are created with their
/// partition count through the C API; brokers can be set down and up for failure tests. Shared (linked) by the
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

    public void SetBrokerDown(int broker) => Check(NativeMethods.rd_kafka_mock_broker_set_down(_cluster, broker) == 0, "broker down failed"u8.ToArray());

    public void SetBrokerUp(int broker) => Check(NativeMethods.rd_kafka_mock_broker_set_up(_cluster, broker) == 0, "broker up failed"u8.ToArray());

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
        public static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

        [DllImport(Library)]
        public static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

        [DllImport(Library)]
        public static extern void rd_kafka_destroy(IntPtr rk);
#pragma warning restore SYSLIB1054
    }
}
