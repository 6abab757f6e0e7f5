namespace Helpdesk.Monitoring.Notifications;

/// <summary>Where one JSON string value sits in a wire record, so the hot path can use it without making a string.</summary>
/// <remarks>
/// <see cref="Escaped"/> values hold JSON escapes and must be unescaped before their bytes mean anything. Eight bytes,
/// the flag in the length's sign bit: a parsed record keeps one per field (37) for as long as it is in flight, tens of
/// thousands of them when Kafka reads ahead, and each byte of them is copied by every collection they outlive.
/// </remarks>
public readonly record struct Utf8Slice
{
    private readonly int _start;
    private readonly int _lengthAndEscaped;

    public Utf8Slice(int start, int length, bool escaped)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _start = start;
        _lengthAndEscaped = escaped ? length | int.MinValue : length;
    }

    public int Start => _start;

    public int Length => _lengthAndEscaped & int.MaxValue;

    public bool Escaped => _lengthAndEscaped < 0;

    public bool IsEmpty => Length == 0;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> record) => record.Slice(Start, Length);
}
