using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Helpdesk.Monitoring.Notifications;

/// <summary>How the in-order reader reads a property's value.</summary>
internal enum WireValueKind : byte
{
    /// <summary>A string kept as a slice of the record.</summary>
    Text,

    /// <summary>A non-negative integer.</summary>
    Int32,

    /// <summary>A non-negative long (the epoch time).</summary>
    Int64,

    /// <summary>A value checked as it is read: the event id, the type, a state, the custom variables.</summary>
    Other,
}

/// <summary>
/// A property's <c>"name":</c> (at most 24 bytes) held as three masked 8-byte words, so that "is this property next?"
/// is three loads and one test, with no call and no loop: the in-order reader asks it once per row of the wire table.
/// It also says how the value is read and where in <see cref="NotificationFields"/> it is kept.
/// </summary>
internal readonly struct WireKey
{
    public const int MaxBytes = 24;

    private readonly ulong _w0, _w1, _w2, _m0, _m1, _m2;

    public WireKey(WireField field, ReadOnlySpan<byte> key)
    {
        if (key.Length > MaxBytes)
        {
            throw new ArgumentException($"a wire key is at most {MaxBytes} bytes", nameof(key));
        }

        Field = field;
        Length = key.Length;
        (Kind, Offset) = Place(field);
        Span<byte> bytes = stackalloc byte[MaxBytes];
        Span<byte> mask = stackalloc byte[MaxBytes];
        bytes.Clear();
        mask.Clear();
        key.CopyTo(bytes);
        mask[..key.Length].Fill(0xFF);
        _w0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _w1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _w2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        _m0 = BinaryPrimitives.ReadUInt64LittleEndian(mask);
        _m1 = BinaryPrimitives.ReadUInt64LittleEndian(mask[8..]);
        _m2 = BinaryPrimitives.ReadUInt64LittleEndian(mask[16..]);
    }

    public WireField Field { get; }

    public int Length { get; }

    public WireValueKind Kind { get; }

    /// <summary>The byte offset of the value's field in <see cref="NotificationFields"/>; for <see cref="WireValueKind.Other"/>, none.</summary>
    public int Offset { get; }

    /// <summary>Whether the record holds this key at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsAt(ReadOnlySpan<byte> record, int at)
    {
        if ((uint)at > (uint)(record.Length - MaxBytes))
        {
            return IsAtNearEnd(record, at);
        }

        ref var start = ref Unsafe.Add(ref MemoryMarshal.GetReference(record), at);
        var difference = ((Word(ref start, 0) ^ _w0) & _m0) | ((Word(ref start, 8) ^ _w1) & _m1) | ((Word(ref start, 16) ^ _w2) & _m2);
        return difference == 0;
    }

    /// <summary>Measured on a real instance rather than assumed, so the runtime's layout of the struct decides.</summary>
    private static (WireValueKind Kind, int Offset) Place(WireField field)
    {
        var probe = default(NotificationFields);
        ref var origin = ref Unsafe.As<NotificationFields, byte>(ref probe);
        switch (field)
        {
            case WireField.V:
                return (WireValueKind.Int32, OffsetOf(ref origin, ref Unsafe.As<int, byte>(ref probe.Version)));
            case WireField.ServiceAttempt:
                return (WireValueKind.Int32, OffsetOf(ref origin, ref Unsafe.As<int, byte>(ref probe.ServiceAttempt)));
            case WireField.NotificationNumber:
                return (WireValueKind.Int32, OffsetOf(ref origin, ref Unsafe.As<int, byte>(ref probe.NotificationNumber)));
            case WireField.TimeT:
                return (WireValueKind.Int64, OffsetOf(ref origin, ref Unsafe.As<long, byte>(ref probe.TimeT)));
        }

        ref var slot = ref probe.TextSlot(field);
        return Unsafe.IsNullRef(ref slot) ? (WireValueKind.Other, -1) : (WireValueKind.Text, OffsetOf(ref origin, ref Unsafe.As<Utf8Slice, byte>(ref slot)));
    }

    private static int OffsetOf(ref byte origin, ref byte target) => (int)Unsafe.ByteOffset(ref origin, ref target);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool IsAtNearEnd(ReadOnlySpan<byte> record, int at)
    {
        if ((uint)at > (uint)record.Length || record.Length - at < Length)
        {
            return false;
        }

        Span<byte> padded = stackalloc byte[MaxBytes];
        padded.Clear();
        record.Slice(at, Math.Min(MaxBytes, record.Length - at)).CopyTo(padded);
        return IsAt(padded, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ref byte start, int offset)
    {
        var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset));
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }
}
