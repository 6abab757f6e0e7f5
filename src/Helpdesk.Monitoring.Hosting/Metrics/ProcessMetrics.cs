using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Helpdesk.Monitoring.Hosting.Metrics;

/// <summary>The standard process_* series Prometheus users expect (memory, CPU, start time).</summary>
internal static class ProcessMetrics
{
    public static void WriteTo(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        Gauge(text, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", process.WorkingSet64);
        Gauge(text, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter", process.TotalProcessorTime.TotalSeconds);
        Gauge(text, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge",
            new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        Gauge(text, "dotnet_gc_heap_size_bytes", "Bytes of the managed heap in use.", "gauge", GC.GetTotalMemory(false));
        Gauge(text, "dotnet_gc_pause_seconds_total", "Time the process spent paused for garbage collection.", "counter", GC.GetTotalPauseDuration().TotalSeconds);
        text.Append("# HELP dotnet_gc_collections_total Garbage collections by generation.\n# TYPE dotnet_gc_collections_total counter\n");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            text.Append("dotnet_gc_collections_total{generation=\"").Append(generation).Append("\"} ").Append(GC.CollectionCount(generation)).Append('\n');
        }
    }

    private static void Gauge(StringBuilder text, string name, string help, string type, double value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
            .Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
