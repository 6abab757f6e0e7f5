using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Helpdesk.Monitoring.Incidents;

namespace Helpdesk.Monitoring.Benchmarks.Incidents;

/// <summary>
/// The applied-id window on the usual id, a fresh UUIDv7, in a full window of the default size (every id remembered
/// evicts the oldest). Baseline: a <see cref="SeenEvents.Classify"/> probe and then <see cref="SeenEvents.Remember"/>,
/// as the decider did; <c>Remember</c> alone tells and adds in one hash operation, as it does now. The ids are made
/// from a counter (the same cheap construction for both), so that the window, not the id generator, is measured.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class SeenEventsBenchmarks
{
    private const int Batch = 1024;
    private const int Capacity = 65_536;

    private readonly long _unixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private SeenEvents _classified = null!;
    private SeenEvents _remembered = null!;
    private long _counter;
    private long _seen;

    [GlobalSetup]
    public void Setup()
    {
        _classified = new SeenEvents(Capacity, watermarkUnixMs: 0);
        _remembered = new SeenEvents(Capacity, watermarkUnixMs: 0);
        for (var i = 0; i < Capacity; i++)
        {
            _classified.Remember(Next());
            _remembered.Remember(Next());
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public long ClassifyThenRemember()
    {
        for (var i = 0; i < Batch; i++)
        {
            var id = Next();
            if (_classified.Classify(id) == EventIdClass.Seen)
            {
                _seen++;
                continue;
            }

            _classified.Remember(id);
        }

        return _seen;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long Remember()
    {
        for (var i = 0; i < Batch; i++)
        {
            if (!_remembered.Remember(Next()))
            {
                _seen++;
            }
        }

        return _seen;
    }

    /// <summary>A UUIDv7 (RFC 9562) of this millisecond with a counter where its random bits would be: never seen before.</summary>
    private Guid Next()
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(b, _unixMs << 16);
        BinaryPrimitives.WriteInt64BigEndian(b[8..], ++_counter);
        b[6] = 0x70;
        b[8] = 0x80;
        return new Guid(b, bigEndian: true);
    }
}
