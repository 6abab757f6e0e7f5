namespace Helpdesk.Monitoring.Files;

/// <summary>Bounds of a dead-letter folder: what one letter keeps, how long letters stay, how much they may take.</summary>
public sealed record DeadLetterLimits
{
    /// <summary>Payload bytes one letter keeps; the rest is cut, and the letter says how much there was.</summary>
    public int MaxPayloadBytes { get; init; } = 1024 * 1024;

    /// <summary>The folder's size bound; letters beyond it are dropped and counted.</summary>
    public long MaxBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>How long a letter is kept before it is deleted.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);

    public string? Validate() =>
        MaxPayloadBytes < 1024 ? "DeadLetters:MaxPayloadBytes must be at least 1024"
        : MaxBytes < MaxPayloadBytes * 4L ? "DeadLetters:MaxBytes must hold at least four letters of DeadLetters:MaxPayloadBytes"
        : Retention < TimeSpan.FromHours(1) ? "DeadLetters:Retention must be at least one hour"
        : null;
}
