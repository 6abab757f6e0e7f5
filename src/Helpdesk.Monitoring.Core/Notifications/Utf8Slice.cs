namespace Helpdesk.Monitoring.Notifications;

/// <summary>Where one JSON string value sits in a wire record, so the hot path can use it without making a string.</summary>
/// <remarks><see cref="Escaped"/> values hold JSON escapes and must be unescaped before their bytes mean anything.</remarks>
public readonly record struct Utf8Slice(int Start, int Length, bool Escaped)
{
    public bool IsEmpty => Length == 0;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> record) => record.Slice(Start, Length);
}
