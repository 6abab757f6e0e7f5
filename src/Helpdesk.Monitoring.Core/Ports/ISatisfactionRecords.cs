namespace Helpdesk.Monitoring.Ports;

/// <summary>A customer's answer to the satisfaction question after an incident closed.</summary>
public sealed record SatisfactionRating(long IncidentId, int Score, string Comment, string Contact, string Team, DateTimeOffset At)
{
    public const int MaxCommentLength = 2000;
}

/// <summary>The store's satisfaction answers: one per incident, the first answer kept (a link clicked twice counts once).</summary>
public interface ISatisfactionRecords
{
    /// <summary>Keeps the answer; false when the incident already had one.</summary>
    ValueTask<bool> RecordAsync(SatisfactionRating rating, CancellationToken cancellationToken);

    ValueTask<SatisfactionRating?> RatingAsync(long incidentId, CancellationToken cancellationToken);
}
